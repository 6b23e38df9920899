import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { toInquiryView, type InquiryView } from './inquiry-view.ts';
import { journalPage, type Cursor, type JournalPage, type JournalScope } from './journal.ts';

export type Separator = ';' | ',';

/** Excel reads UTF-8 (and so Cyrillic) only when the file starts with a byte order mark. */
export const BOM = '\uFEFF';

/** Rows read per query: small enough to keep memory flat, big enough that 50k rows are 50 queries. */
export const CSV_PAGE_ROWS = 1000;

const CLICK_ID_COLUMNS = ['gclid', 'yclid', 'fbclid', 'vkclid', 'msclkid', 'ttclid'] as const;

type Cell = string | number | null | undefined;

/** The journal flattened into columns, in the order a spreadsheet shows them. */
const COLUMNS: Array<[string, (v: InquiryView, local: string) => Cell]> = [
  ['id', (v) => v.id],
  ['received_at', (_, local) => local],
  ['channel', (v) => v.channel],
  ['provider', (v) => v.provider],
  ['type', (v) => v.type],
  ['match_method', (v) => v.match.method],
  ['match_confidence', (v) => Math.round(v.match.confidence * 1000) / 1000],
  ['contact_name', (v) => v.contact.name],
  ['contact_phone', (v) => v.contact.phone],
  ['contact_username', (v) => v.contact.username],
  ['first_message', (v) => v.first_message],
  ['message_count', (v) => v.message_count],
  ['tags', (v) => v.tags.join(', ')],
  ['status', (v) => v.status],
  ['page_url', (v) => v.page.url],
  ['page_title', (v) => v.page.title],
  ['session_code', (v) => v.session?.code],
  ['session_started_at', (v) => v.session?.started_at],
  ['traffic_type', (v) => v.session?.traffic_type],
  ['source', (v) => v.session?.source],
  ['medium', (v) => v.session?.medium],
  ['campaign', (v) => v.session?.campaign],
  ['content', (v) => v.session?.content],
  ['term', (v) => v.session?.term],
  ['landing_url', (v) => v.session?.landing_url],
  ['referrer', (v) => v.session?.referrer],
  ...CLICK_ID_COLUMNS.map((k): [string, (v: InquiryView) => Cell] => [k, (v) => v.session?.click_ids[k]]),
  ['click_ids', (v) => (v.session ? Object.entries(v.session.click_ids).map(([k, x]) => `${k}=${x}`).join(' ') : null)],
  ['os', (v) => v.session?.os],
  ['os_version', (v) => v.session?.os_version],
  ['browser', (v) => v.session?.browser],
  ['device_type', (v) => v.session?.device_type],
  ['screen', (v) => v.session?.screen],
  ['language', (v) => v.session?.language],
  ['country', (v) => v.session?.country],
  ['region', (v) => v.session?.region],
  ['city', (v) => v.session?.city],
  ['ad_source_id', (v) => v.ad?.source_id],
  ['ad_source_url', (v) => v.ad?.source_url],
  ['ad_headline', (v) => v.ad?.headline],
  ['ctwa_clid', (v) => v.ad?.ctwa_clid],
];

export const CSV_COLUMNS = COLUMNS.map(([name]) => name);

/**
 * One field by RFC 4180: quoted when it holds the separator, a quote or a line break. Text that a
 * spreadsheet would run as a formula (=, +, -, @ first: names and messages come from strangers)
 * gets a leading apostrophe, which Excel and LibreOffice show as plain text.
 */
export function csvField(value: Cell, sep: Separator): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: Cell[], sep: Separator) => cells.map((c) => csvField(c, sep)).join(sep) + '\r\n';

/**
 * The filtered journal as CSV, produced a page at a time as the client reads: the stream pulls
 * a keyset page only when the one before has been written out, so memory holds two pages however
 * long the journal (and no server-side cursor is needed, which PGlite lacks). The next page is
 * asked for while this one is formatted, so the database and the formatting overlap.
 */
export function journalCsv(db: Kysely<DB>, scope: JournalScope, sep: Separator): Readable {
  const read = (after: Cursor | null): Promise<JournalPage> => {
    const page = journalPage(db, scope, CSV_PAGE_ROWS, after);
    // a client that hangs up leaves the last read unawaited: its failure must not go unhandled
    page.catch(() => {});
    return page;
  };
  async function* lines() {
    yield BOM + csvLine(CSV_COLUMNS, sep);
    let next: Promise<JournalPage> | null = read(null);
    while (next) {
      const page: JournalPage = await next;
      next = page.next ? read(page.next) : null;
      let chunk = '';
      for (const row of page.rows) {
        const v = toInquiryView(row);
        chunk += csvLine(COLUMNS.map(([, get]) => get(v, row.received_local)), sep);
      }
      if (chunk) yield chunk;
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
