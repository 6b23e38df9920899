import { useEffect, useState } from 'preact/hooks';
import type { InquiryDetail, InquiryView } from './api.ts';
import { useApp, useLoad } from './context.ts';
import { STATUSES } from './filters.ts';
import { fmtDateTime, fmtShare, fmtTime } from './format.ts';
import { contactLines } from './journal.tsx';
import type { Key } from './i18n.ts';

interface Props {
  id: number;
  onOpen(id: number): void;
  onClose(): void;
  onUpdated(i: InquiryView): void;
}

/** One inquiry beside the journal: who, from where, the pages on the way, the contact's history; status and tags editable. */
export function InquiryPanel({ id, onOpen, onClose, onUpdated }: Props) {
  const { api, site, w } = useApp();
  const state = useLoad(() => api.inquiry(site.id, id), `${site.id}/${id}`);
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, []);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <aside class="panel" id="inquiry" role="dialog" aria-modal="true" aria-label={`#${id}`}>
        <header class="panel-head">
          <h2>#{id}</h2>
          <button type="button" class="icon" aria-label={w.t('close')} onClick={onClose}>
            ×
          </button>
        </header>
        {state.error && <p class="error">{state.error}</p>}
        {state.data ? <Detail key={state.data.id} i={state.data} onOpen={onOpen} onUpdated={onUpdated} /> : !state.error && <p class="muted">{w.t('loading')}</p>}
      </aside>
    </div>
  );
}

function Detail({ i, onOpen, onUpdated }: { i: InquiryDetail; onOpen(id: number): void; onUpdated(i: InquiryView): void }) {
  const { w, site } = useApp();
  const [name, handle] = contactLines(i.contact);
  const s = i.session;
  const rows: Array<[Key, string | null | undefined]> = s
    ? [
        ['trafficType', w.v(s.traffic_type)],
        ['source', s.source],
        ['medium', s.medium],
        ['campaign', s.campaign],
        ['landing', s.landing_url],
        ['referrer', s.referrer],
        ['clickIds', Object.entries(s.click_ids).map(([k, v]) => `${k}=${v}`).join(', ')],
        ['device', [w.v(s.device_type), s.os && `${s.os} ${s.os_version ?? ''}`.trim(), s.browser, s.screen].filter(Boolean).join(' · ')],
        ['place', [s.city, s.region, s.country].filter(Boolean).join(', ')],
        ['language', s.language],
        ['code', s.code],
      ]
    : [];
  return (
    <div class="detail">
      <section class="who">
        <p class="strong big">{name}</p>
        {handle && <p class="muted">{handle}</p>}
        <p>
          <span class={`badge ${i.channel}`}>{w.v(i.channel)}</span> <span class={`badge ${i.type}`}>{w.v(i.type)}</span>{' '}
          <span class={`badge m-${i.match.method}`}>{w.v(i.match.method)}</span>
          {i.match.method === 'probable' && <span class="muted">{` ${w.t('confidence')} ${fmtShare(w.locale, i.match.confidence)}`}</span>}
        </p>
        <p class="muted">
          {fmtDateTime(w.locale, site.timezone, i.received_at)} · {w.t('messages')}: {i.message_count}
        </p>
        {i.first_message && <blockquote class="message">{i.first_message}</blockquote>}
      </section>
      <Marks i={i} onUpdated={onUpdated} />
      <section>
        <h3>{w.t('visit')}</h3>
        {s ? (
          <dl class="props">
            {rows.map(([k, v]) =>
              v ? (
                <>
                  <dt>{w.t(k)}</dt>
                  <dd>{v}</dd>
                </>
              ) : null,
            )}
          </dl>
        ) : (
          <p class="muted">{w.t('noVisit')}</p>
        )}
        {i.ad && (
          <dl class="props">
            <dt>{w.t('ad')}</dt>
            <dd>{[i.ad.headline, i.ad.source_url, i.ad.source_id].filter(Boolean).join(' · ')}</dd>
          </dl>
        )}
      </section>
      <section>
        <h3>{w.t('path')}</h3>
        {i.path.length ? (
          <ol class="path-list" id="visit-path">
            {i.path.map((p) => (
              <li>
                <span class="time">{fmtTime(w.locale, site.timezone, p.ts)}</span>
                <span class="strong">{p.title ?? new URL(p.url).pathname}</span>
                <span class="sub url">{p.url}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">{w.t('noPath')}</p>
        )}
      </section>
      <section>
        <h3>{w.t('history')}</h3>
        {i.history.length ? (
          <ul class="history" id="history">
            {i.history.map((h) => (
              <li>
                <button type="button" class="link" onClick={() => onOpen(h.id)}>
                  #{h.id} · {fmtDateTime(w.locale, site.timezone, h.received_at)}
                </button>{' '}
                <span class={`badge ${h.type}`}>{w.v(h.type)}</span>
                {h.first_message && <span class="sub">{h.first_message}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted" id="history">{w.t('noHistory')}</p>
        )}
      </section>
    </div>
  );
}

/** Status and tags: each change is saved at once. */
function Marks({ i, onUpdated }: { i: InquiryView; onUpdated(i: InquiryView): void }) {
  const { api, site, w } = useApp();
  const [tags, setTags] = useState(i.tags);
  const [status, setStatus] = useState(i.status);
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const save = async (patch: { tags?: string[]; status?: string }) => {
    setNote(null);
    try {
      const u = await api.update(site.id, i.id, patch);
      setTags(u.tags);
      setStatus(u.status);
      onUpdated(u);
      setNote(w.t('saved'));
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  const add = (e: Event) => {
    e.preventDefault();
    const t = draft.trim();
    if (t && !tags.includes(t)) void save({ tags: [...tags, t] });
    setDraft('');
  };
  return (
    <section class="marks">
      <label class="field">
        <span>{w.t('status')}</span>
        <select name="status" value={status} onChange={(e) => save({ status: e.currentTarget.value })}>
          {STATUSES.map((st) => (
            <option value={st}>{w.v(st)}</option>
          ))}
        </select>
      </label>
      <div class="field">
        <span>{w.t('tags')}</span>
        <div class="tags-edit" id="tags">
          {tags.map((t) => (
            <span class="tag">
              {t}
              <button type="button" aria-label={`× ${t}`} onClick={() => save({ tags: tags.filter((x) => x !== t) })}>
                ×
              </button>
            </span>
          ))}
          <form onSubmit={add}>
            <input name="tag" maxLength={50} placeholder={w.t('addTag')} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          </form>
        </div>
      </div>
      {note && <p class="note" role="status">{note}</p>}
    </section>
  );
}
