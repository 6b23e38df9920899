import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { HttpError, notFound } from '../app/errors.ts';
import { decodeCursor, encodeCursor, inquiryRows, toInquiryView, type InquiryRow, type InquiryView } from './inquiry-view.ts';
import { inquiryConditions, parseFilters, STATUSES, type FilterQuery, type Filters, type Status } from './journal-filters.ts';
import { resolveBounds } from './period.ts';

export interface JournalQuery extends FilterQuery {
  limit?: number;
  cursor?: string;
}

/** A validated read of the journal: everything that can be refused is refused before a row is read. */
export interface JournalScope {
  site: Site;
  filters: Filters;
  from: Date | null;
  to: Date | null;
}

export type Cursor = { receivedAt: string; id: number };

export async function journalScope(db: Kysely<DB>, site: Site, q: FilterQuery): Promise<JournalScope> {
  const filters = parseFilters(q);
  const { from, to } = await resolveBounds(db, site, q);
  return { site, filters, from, to };
}

export function parseCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined) return null;
  const c = decodeCursor(cursor);
  if (!c) throw new HttpError(400, 'bad_request', 'cursor is malformed: pass next_cursor from the previous page as it was');
  return c;
}

export interface JournalPage {
  rows: Array<InquiryRow & { received_local: string }>;
  next: Cursor | null;
}

/**
 * One page, newest first. The keyset (received_at, id) means a page never repeats or skips an
 * inquiry while new ones arrive: they sort before the cursor, and ids only grow.
 */
export async function journalPage(db: Kysely<DB>, scope: JournalScope, limit: number, after: Cursor | null): Promise<JournalPage> {
  // received_at as the site's wall-clock time, by PostgreSQL's zone database as the reports use
  // it: cheaper there than through Intl for every row of a CSV.
  const local = sql<string>`to_char(i.received_at at time zone ${scope.site.timezone}, 'YYYY-MM-DD HH24:MI:SS')`;
  let query = inquiryRows(db, scope.site.id).select(local.as('received_local')).where(inquiryConditions(scope.filters));
  if (scope.from) query = query.where('i.received_at', '>=', scope.from);
  if (scope.to) query = query.where('i.received_at', '<', scope.to);
  if (after) query = query.where(sql<boolean>`(i.received_at, i.id) < (${after.receivedAt}::timestamptz, ${after.id}::bigint)`);
  const rows = await query.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { receivedAt: last.cursor_ts, id: last.id } : null };
}

export async function listInquiries(db: Kysely<DB>, site: Site, q: JournalQuery): Promise<{ items: InquiryView[]; next_cursor: string | null }> {
  const after = parseCursor(q.cursor);
  const scope = await journalScope(db, site, q);
  const { rows, next } = await journalPage(db, scope, q.limit ?? 50, after);
  return { items: rows.map(toInquiryView), next_cursor: next ? encodeCursor(next.receivedAt, next.id) : null };
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

export interface InquiryPatch {
  tags?: string[];
  status?: string;
}

export const MAX_TAGS = 20;

/** The analyst's own marks on an inquiry: the one write of the read API. */
export async function updateInquiry(db: Kysely<DB>, site: Site, id: number, patch: InquiryPatch): Promise<InquiryView> {
  const set: { tags?: string[]; status?: Status } = {};
  if (patch.tags !== undefined) {
    const tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
    if (tags.length > MAX_TAGS) throw new HttpError(400, 'bad_request', `an inquiry takes at most ${MAX_TAGS} tags`);
    set.tags = tags;
  }
  if (patch.status !== undefined) {
    if (!(STATUSES as readonly string[]).includes(patch.status)) throw new HttpError(400, 'bad_request', `status must be one of ${STATUSES.join(', ')}`);
    set.status = patch.status as Status;
  }
  if (!Object.keys(set).length) throw new HttpError(400, 'bad_request', 'nothing to change: send tags, status or both');
  const updated = await db.updateTable('inquiries').set(set).where('site_id', '=', site.id).where('id', '=', id).returning('id').executeTakeFirst();
  if (!updated) throw notFound('inquiry');
  const row = await inquiryRows(db, site.id).where('i.id', '=', id).executeTakeFirstOrThrow();
  return toInquiryView(row);
}
