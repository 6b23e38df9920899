import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApp, useLoad, type Loaded } from './context.ts';
import { fmtBucket, fmtNumber, fmtShare } from './format.ts';
import { Bar, Donut, LineChart, type Series } from './charts.tsx';
import type { Key } from './i18n.ts';

const GRANULARITIES = ['day', 'week', 'month', 'quarter'] as const;
const COMPARES = [['', 'compareNone'], ['previous', 'comparePrevious'], ['year', 'compareYear']] as const;
const METRICS = [['inquiries', 'inquiries'], ['chat_clicks', 'chatClicks'], ['sessions', 'sessions']] as const;

/** A report widget: its title, a control or two, and the body once loaded. */
function Card<T>(props: { title: string; id: string; state: Loaded<T>; controls?: ComponentChildren; wide?: boolean; children: (data: T) => ComponentChildren }) {
  const { w } = useApp();
  const { state } = props;
  return (
    <section class={`card${props.wide ? ' wide' : ''}`} id={props.id} aria-busy={state.loading}>
      <header class="card-head">
        <h2>{props.title}</h2>
        {props.controls}
      </header>
      {state.error ? <p class="error">{state.error}</p> : state.data ? props.children(state.data) : <p class="muted">{w.t('loading')}</p>}
    </section>
  );
}

function Segmented<V extends string>({ value, options, onChange, label, name }: { value: V; options: ReadonlyArray<readonly [V, string]>; onChange(v: V): void; label: string; name: string }) {
  return (
    <div class="segmented small" role="group" aria-label={label} data-name={name}>
      {options.map(([v, text]) => (
        <button type="button" class={v === value ? 'on' : ''} aria-pressed={v === value} data-value={v} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}

export function Reports({ params }: { params: Record<string, string> }) {
  const { api, site, w } = useApp();
  const key = `${site.id}?${new URLSearchParams(params)}`;
  const totals = useLoad(() => api.channels(site.id, params), key);
  const newRepeat = useLoad(() => api.newRepeat(site.id, params), key);
  return (
    <div class="reports">
      <Kpis totals={totals} newRepeat={newRepeat} />
      <div class="grid">
        <Dynamics params={params} />
        <Card title={w.t('newRepeat')} id="new-repeat" state={newRepeat}>
          {(r) => (
            <div class="donut-box">
              <Donut center={fmtNumber(w.locale, r.total)} parts={[{ label: w.t('new'), value: r.new.count, cls: 's1' }, { label: w.t('repeat'), value: r.repeat.count, cls: 's2' }]} />
              <ul class="legend">
                <li><i class="dot s1" />{w.t('new')} <b>{fmtNumber(w.locale, r.new.count)}</b> <span class="muted">{fmtShare(w.locale, r.new.share)}</span></li>
                <li><i class="dot s2" />{w.t('repeat')} <b>{fmtNumber(w.locale, r.repeat.count)}</b> <span class="muted">{fmtShare(w.locale, r.repeat.share)}</span></li>
              </ul>
            </div>
          )}
        </Card>
        <MatchQuality params={params} rkey={key} />
        <Channels params={params} rkey={key} />
        <Pages params={params} rkey={key} />
      </div>
    </div>
  );
}

function Kpis({ totals, newRepeat }: { totals: Loaded<{ total: { sessions: number; chat_clicks: number; inquiries: number; conversion: number | null }; unattributed_inquiries: number }>; newRepeat: Loaded<{ total: number; new: { share: number } }> }) {
  const { w } = useApp();
  const t = totals.data?.total;
  const items: Array<[Key, string]> = [
    ['inquiries', newRepeat.data ? fmtNumber(w.locale, newRepeat.data.total) : '…'],
    ['sessions', t ? fmtNumber(w.locale, t.sessions) : '…'],
    ['chatClicks', t ? fmtNumber(w.locale, t.chat_clicks) : '…'],
    ['conversion', t ? fmtShare(w.locale, t.conversion) : '…'],
    ['newShare', newRepeat.data ? fmtShare(w.locale, newRepeat.data.new.share) : '…'],
  ];
  return (
    <div class="kpis" id="kpis">
      {items.map(([k, v]) => (
        <div class="kpi" data-kpi={k}>
          <span class="kpi-label">{w.t(k)}</span>
          <span class="kpi-value">{v}</span>
        </div>
      ))}
    </div>
  );
}

function Dynamics({ params }: { params: Record<string, string> }) {
  const { api, site, w } = useApp();
  const [granularity, setGranularity] = useState<(typeof GRANULARITIES)[number]>('day');
  const [compare, setCompare] = useState<'' | 'previous' | 'year'>('previous');
  const [metric, setMetric] = useState<'inquiries' | 'chat_clicks' | 'sessions'>('inquiries');
  const p = { ...params, granularity, ...(compare ? { compare } : {}) };
  const state = useLoad(() => api.dynamics(site.id, p), `${site.id}?${new URLSearchParams(p)}`);
  const controls = (
    <div class="controls">
      <Segmented<(typeof GRANULARITIES)[number]> name="granularity" label={w.t('dynamics')} value={granularity} onChange={setGranularity} options={GRANULARITIES.map((g) => [g, w.t(g)] as const)} />
      <select aria-label={w.t('dynamics')} name="compare" value={compare} onChange={(e) => setCompare(e.currentTarget.value as typeof compare)}>
        {COMPARES.map(([v, k]) => (
          <option value={v}>{w.t(k)}</option>
        ))}
      </select>
    </div>
  );
  return (
    <Card title={w.t('dynamics')} id="dynamics" state={state} controls={controls} wide>
      {(r) => {
        const labels = r.points.map((pt) => fmtBucket(w.locale, pt.bucket, r.granularity));
        const series: Series[] = [{ name: w.t(METRICS.find(([m]) => m === metric)![1]), values: r.points.map((pt) => pt[metric]), cls: 's1' }];
        if (r.comparison) {
          series.push({ name: `${fmtBucket(w.locale, r.comparison.from, 'day')} – ${fmtBucket(w.locale, r.comparison.to, 'day')}`, values: r.points.map((pt) => pt.comparison?.[metric] ?? 0), cls: 's3 dashed' });
        }
        const sum = (vals: number[]) => vals.reduce((a, b) => a + b, 0);
        const now = sum(series[0]!.values);
        const before = series[1] ? sum(series[1].values) : null;
        return (
          <div data-granularity={r.granularity} data-points={r.points.length}>
            <div class="chart-head">
              <Segmented<typeof metric> name="metric" label={w.t('dynamics')} value={metric} onChange={setMetric} options={METRICS.map(([m, k]) => [m, w.t(k)] as const)} />
              <span class="delta">
                <b>{fmtNumber(w.locale, now)}</b>
                {before !== null && before > 0 && <span class={now >= before ? 'up' : 'down'}>{`${now >= before ? '▲' : '▼'} ${fmtShare(w.locale, Math.abs(now - before) / before)}`}</span>}
              </span>
            </div>
            <LineChart labels={labels} series={series} locale={w.locale} />
            <ul class="legend inline">
              {series.map((s) => (
                <li><i class={`dot ${s.cls}`} />{s.name}</li>
              ))}
            </ul>
          </div>
        );
      }}
    </Card>
  );
}

function MatchQuality({ params, rkey }: { params: Record<string, string>; rkey: string }) {
  const { api, site, w } = useApp();
  const state = useLoad(() => api.matchQuality(site.id, params), rkey);
  return (
    <Card title={w.t('matchQuality')} id="match-quality" state={state}>
      {(r) => (
        <div>
          <table class="bars">
            <tbody>
              {r.methods.map((m) => (
                <tr data-method={m.method}>
                  <th scope="row">{w.v(m.method)}</th>
                  <td class="barcell"><Bar share={m.share} cls={m.method === 'none' || m.method === 'probable' ? 's4' : 's1'} /></td>
                  <td class="num">{fmtNumber(w.locale, m.count)}</td>
                  <td class="num muted">{fmtShare(w.locale, m.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="note">{`${fmtShare(w.locale, r.lost_code.share)} ${w.t('lostCode')} (${fmtNumber(w.locale, r.lost_code.count)})`}</p>
        </div>
      )}
    </Card>
  );
}

type Level = { level: 'traffic_type' } | { level: 'source'; traffic_type: string } | { level: 'campaign'; traffic_type: string; source: string };

function Channels({ params, rkey }: { params: Record<string, string>; rkey: string }) {
  const { api, site, w } = useApp();
  const [at, setAt] = useState<Level>({ level: 'traffic_type' });
  // The drill-down narrows with the report's own filters; a filter set above wins.
  const p = { ...params, ...at };
  const state = useLoad(() => api.channels(site.id, p), `${rkey}&${new URLSearchParams(p)}`);
  const name = (key: string | null) => (at.level === 'traffic_type' ? w.v(key) : (key ?? w.t('none')));
  const down = (key: string | null) => {
    if (key === null) return;
    if (at.level === 'traffic_type') setAt({ level: 'source', traffic_type: key });
    else if (at.level === 'source') setAt({ level: 'campaign', traffic_type: at.traffic_type, source: key });
  };
  const crumbs = (
    <nav class="crumbs" aria-label={w.t('channels')}>
      <button type="button" class="link" disabled={at.level === 'traffic_type'} onClick={() => setAt({ level: 'traffic_type' })}>{w.t('allTypes')}</button>
      {at.level !== 'traffic_type' && (
        <>
          <span>›</span>
          <button type="button" class="link" disabled={at.level === 'source'} onClick={() => setAt({ level: 'source', traffic_type: at.traffic_type })}>{w.v(at.traffic_type)}</button>
        </>
      )}
      {at.level === 'campaign' && (
        <>
          <span>›</span>
          <span>{at.source}</span>
        </>
      )}
    </nav>
  );
  return (
    <Card title={w.t('channels')} id="channels" state={state} controls={crumbs} wide>
      {(r) => {
        const top = Math.max(1, ...r.rows.map((x) => x.sessions));
        return (
          <div class="table-wrap">
            <table class="data" data-level={r.level}>
              <thead>
                <tr>
                  <th>{w.t(r.level === 'traffic_type' ? 'trafficType' : r.level === 'source' ? 'source' : 'campaign')}</th>
                  <th class="num">{w.t('sessions')}</th>
                  <th class="num opt">{w.t('chatClicks')}</th>
                  <th class="num">{w.t('inquiries')}</th>
                  <th class="num">{w.t('conversion')}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => {
                  const drill = r.level !== 'campaign' && row.key !== null;
                  return (
                    <tr class={drill ? 'clickable' : ''} data-key={row.key ?? ''} onClick={() => drill && down(row.key)}>
                      <th scope="row">
                        {drill ? <button type="button" class="link">{name(row.key)}</button> : name(row.key)}
                        <Bar share={row.sessions / top} />
                      </th>
                      <td class="num">{fmtNumber(w.locale, row.sessions)}</td>
                      <td class="num opt">{fmtNumber(w.locale, row.chat_clicks)}</td>
                      <td class="num">{fmtNumber(w.locale, row.inquiries)}</td>
                      <td class="num">{fmtShare(w.locale, row.conversion)}</td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{w.t('total')}</th>
                  <td class="num">{fmtNumber(w.locale, r.total.sessions)}</td>
                  <td class="num opt">{fmtNumber(w.locale, r.total.chat_clicks)}</td>
                  <td class="num">{fmtNumber(w.locale, r.total.inquiries)}</td>
                  <td class="num">{fmtShare(w.locale, r.total.conversion)}</td>
                </tr>
              </tfoot>
            </table>
            {r.unattributed_inquiries > 0 && <p class="note">{`+ ${fmtNumber(w.locale, r.unattributed_inquiries)} ${w.t('inquiries').toLowerCase()} ${w.t('unattributed')}`}</p>}
          </div>
        );
      }}
    </Card>
  );
}

function Pages({ params, rkey }: { params: Record<string, string>; rkey: string }) {
  const { api, site, w } = useApp();
  const state = useLoad(() => api.pages(site.id, { ...params, limit: 10 }), rkey);
  return (
    <Card title={w.t('topPages')} id="pages" state={state} wide>
      {(r) => (
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th>{w.t('page')}</th>
                <th class="num opt">{w.t('sessions')}</th>
                <th class="num">{w.t('chatClicks')}</th>
                <th class="num">{w.t('inquiries')}</th>
                <th class="num opt">{w.t('clickToInquiry')}</th>
              </tr>
            </thead>
            <tbody>
              {r.pages.map((p) => (
                <tr>
                  <th scope="row">
                    <span class="path">{p.path}</span>
                    {p.title && <span class="sub">{p.title}</span>}
                  </th>
                  <td class="num opt">{fmtNumber(w.locale, p.sessions)}</td>
                  <td class="num">{fmtNumber(w.locale, p.chat_clicks)}</td>
                  <td class="num">{fmtNumber(w.locale, p.inquiries)}</td>
                  <td class="num opt">{fmtShare(w.locale, p.click_to_inquiry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.without_page > 0 && <p class="note">{`+ ${fmtNumber(w.locale, r.without_page)} ${w.t('inquiries').toLowerCase()} ${w.t('withoutPage')}`}</p>}
        </div>
      )}
    </Card>
  );
}
