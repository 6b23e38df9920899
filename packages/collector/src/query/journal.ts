import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { HttpError, notFound } from '../app/errors.ts';
import { decodeCursor, encodeCursor, inquiryRows, periodBound, toInquiryView, type InquiryView } from './inquiry-view.ts';

export interface JournalQuery {
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkBound(name: string, value: string | undefined) {
  if (value === undefined) return;
  const ok = DATE.test(value) ? !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) : !Number.isNaN(Date.parse(value));
  if (!ok) throw new HttpError(400, 'bad_request', `${name} must be a date (2026-01-31) or an ISO 8601 instant`);
}

/** Newest first, keyset-paged: a page never repeats or skips an inquiry, even while new ones arrive. */
export async function listInquiries(db: Kysely<DB>, site: Site, q: JournalQuery): Promise<{ items: InquiryView[]; next_cursor: string | null }> {
  checkBound('from', q.from);
  checkBound('to', q.to);
  const limit = q.limit ?? 50;
  let query = inquiryRows(db, site.id);
  if (q.from) query = query.where('i.received_at', '>=', periodBound(q.from, site.timezone));
  if (q.to) query = query.where('i.received_at', '<', periodBound(q.to, site.timezone));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    if (!c) throw new HttpError(400, 'bad_request', 'cursor is malformed: pass next_cursor from the previous page as it was');
    query = query.where(sql<boolean>`(i.received_at, i.id) < (${c.receivedAt}::timestamptz, ${c.id}::bigint)`);
  }
  const rows = await query.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toInquiryView),
    next_cursor: rows.length > limit && last ? encodeCursor(last.received_at, last.id) : null,
  };
}

export interface InquiryDetail extends InquiryView {
  history: Array<{ id: number; received_at: string; type: string; match: { method: string; confidence: number }; first_message: string | null; session_code: string | null }>;
  path: Array<{ ts: string; url: string; title: string | null }>;
}

/** One inquiry with the contact's other inquiries and the visit's pageviews. */
export async function getInquiry(db: Kysely<DB>, site: Site, id: number): Promise<InquiryDetail> {
  const row = await inquiryRows(db, site.id).where('i.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('inquiry');
  const [history, path] = await Promise.all([
    db
      .selectFrom('inquiries')
      .select(['id', 'received_at', 'type', 'match_method', 'match_confidence', 'first_message', 'session_code'])
      .where('site_id', '=', site.id)
      .where('contact_id', '=', row.contact_id)
      .where('id', '!=', id)
      .orderBy('received_at', 'desc')
      .limit(100)
      .execute(),
    row.session_code
      ? db
          .selectFrom('pageviews')
          .select(['ts', 'url', 'title'])
          .where('site_id', '=', site.id)
          .where('session_code', '=', row.session_code)
          .orderBy('ts')
          .limit(500)
          .execute()
      : Promise.resolve([]),
  ]);
  return {
    ...toInquiryView(row),
    history: history.map((h) => ({
      id: h.id,
      received_at: h.received_at.toISOString(),
      type: h.type,
      match: { method: h.match_method, confidence: h.match_confidence },
      first_message: h.first_message,
      session_code: h.session_code,
    })),
    path: path.map((p) => ({ ts: p.ts.toISOString(), url: p.url, title: p.title })),
  };
}
