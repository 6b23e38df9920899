import { useEffect, useState } from 'preact/hooks';
import type { InquiryView } from './api.ts';
import { useApp } from './context.ts';
import { fmtDateTime } from './format.ts';
import { InquiryPanel } from './inquiry.tsx';

const PAGE = 50;

/** Who wrote: the name, then a phone or @username under it. */
export function contactLines(c: InquiryView['contact']): [string, string] {
  const handle = c.phone ? `+${c.phone}` : c.username ? `@${c.username}` : '';
  return [c.name ?? (handle || '—'), c.name ? handle : ''];
}

export function Journal({ params }: { params: Record<string, string> }) {
  const { api, site, w } = useApp();
  const [items, setItems] = useState<InquiryView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [downloading, setDownloading] = useState(false);
  const key = `${site.id}?${new URLSearchParams(params)}`;

  const load = (cursor: string | null, current: () => boolean = () => true) => {
    setLoading(true);
    setError(null);
    api.inquiries(site.id, { ...params, limit: PAGE, cursor: cursor ?? undefined }).then(
      (page) => {
        if (!current()) return;
        setItems((xs) => (cursor ? [...xs, ...page.items] : page.items));
        setNext(page.next_cursor);
        setLoading(false);
      },
      (e: Error) => current() && (setError(e.message), setLoading(false)),
    );
  };
  useEffect(() => {
    let current = true;
    setItems([]);
    load(null, () => current);
    return () => {
      current = false;
    };
  }, [key]);

  const download = async () => {
    setDownloading(true);
    try {
      const { name, blob } = await api.csv(site.id, params);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section class="card wide journal" aria-busy={loading}>
      <header class="card-head">
        <h2>{w.t('journal')}</h2>
        <button type="button" class="secondary" id="csv" disabled={downloading} onClick={download}>
          ↓ {w.t('downloadCsv')}
        </button>
      </header>
      {error && <p class="error">{error}</p>}
      <div class="table-wrap">
        <table class="data inquiries">
          <thead>
            <tr>
              <th>{w.t('received')}</th>
              <th>{w.t('contact')}</th>
              <th>{w.t('channel')}</th>
              <th>{w.t('source')}</th>
              <th>{w.t('page')}</th>
              <th>{w.t('match')}</th>
              <th>{w.t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => {
              const [name, handle] = contactLines(i.contact);
              const s = i.session;
              return (
                <tr class="clickable" data-id={i.id} data-channel={i.channel} onClick={() => setOpen(i.id)}>
                  <td data-label={w.t('received')} class="nowrap">
                    <button type="button" class="link">{fmtDateTime(w.locale, site.timezone, i.received_at)}</button>
                  </td>
                  <td data-label={w.t('contact')}>
                    <span class="strong">{name}</span>
                    {i.type === 'repeat' && <span class="badge repeat">{w.v('repeat')}</span>}
                    {handle && <span class="sub">{handle}</span>}
                  </td>
                  <td data-label={w.t('channel')}>
                    <span class={`badge ${i.channel}`}>{w.v(i.channel)}</span>
                  </td>
                  <td data-label={w.t('source')}>
                    {s ? (
                      <>
                        <span>{[s.source ?? w.v(s.traffic_type), s.medium].filter(Boolean).join(' / ')}</span>
                        {s.campaign && <span class="sub">{s.campaign}</span>}
                      </>
                    ) : i.ad ? (
                      <span>{w.t('ad')}{i.ad.headline ? `: ${i.ad.headline}` : ''}</span>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td data-label={w.t('page')} class="path">{i.page.path ?? <span class="muted">—</span>}</td>
                  <td data-label={w.t('match')}>
                    <span class={`badge m-${i.match.method}`}>{w.v(i.match.method)}</span>
                  </td>
                  <td data-label={w.t('status')}>
                    <span class={`badge st-${i.status}`}>{w.v(i.status)}</span>
                    {i.tags.map((t) => (
                      <span class="tag">{t}</span>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!loading && !error && items.length === 0 && <p class="empty">{w.t('nothing')}</p>}
      {loading && <p class="muted">{w.t('loading')}</p>}
      {next && !loading && (
        <p class="more">
          <button type="button" class="secondary" id="load-more" onClick={() => load(next)}>
            {w.t('loadMore')}
          </button>
        </p>
      )}
      {open !== null && (
        <InquiryPanel
          id={open}
          onOpen={setOpen}
          onClose={() => setOpen(null)}
          onUpdated={(u) => setItems((xs) => xs.map((x) => (x.id === u.id ? u : x)))}
        />
      )}
    </section>
  );
}
