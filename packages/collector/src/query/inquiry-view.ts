import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { isCalendarDate } from './period.ts';

/** An inquiry as the analysts' API shows it (CONTRACT §4): snake_case, null where there is no value. */
export interface InquiryView {
  id: number;
  received_at: string;
  channel: 'whatsapp' | 'telegram';
  provider: string;
  type: 'new' | 'repeat';
  match: { method: string; confidence: number };
  contact: { id: number; name: string | null; phone: string | null; username: string | null };
  first_message: string | null;
  message_count: number;
  tags: string[];
  status: string;
  page: { url: string | null; path: string | null; title: string | null };
  session: {
    code: string;
    started_at: string;
    landing_url: string | null;
    referrer: string | null;
    source: string | null;
    medium: string | null;
    campaign: string | null;
    content: string | null;
    term: string | null;
    traffic_type: string;
    click_ids: Record<string, string>;
    os: string | null;
    os_version: string | null;
    browser: string | null;
    device_type: string | null;
    screen: string | null;
    language: string | null;
    timezone: string | null;
    country: string | null;
    region: string | null;
    city: string | null;
  } | null;
  ad: { source_id: string | null; source_url: string | null; headline: string | null; ctwa_clid: string | null } | null;
  last_message_at: string;
}

/** The joined rows every journal read starts from, scoped to one site. */
export function inquiryRows(db: Kysely<DB>, siteId: number) {
  return db
    .selectFrom('inquiries as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.site_id', '=', 'i.site_id').onRef('c.id', '=', 'i.contact_id'))
    .innerJoin('channels as ch', (j) => j.onRef('ch.site_id', '=', 'i.site_id').onRef('ch.id', '=', 'i.channel_id'))
    .leftJoin('sessions as s', (j) => j.onRef('s.site_id', '=', 'i.site_id').onRef('s.code', '=', 'i.session_code'))
    .where('i.site_id', '=', siteId)
    .select([
      'i.id', 'i.received_at', 'i.last_message_at', 'i.message_count', 'i.type', 'i.match_method', 'i.match_confidence',
      'i.first_message', 'i.tags', 'i.status', 'i.page_url', 'i.page_path', 'i.page_title', 'i.ad', 'i.session_code',
      // the cursor keeps PostgreSQL's microseconds: a JavaScript Date would round them away and skip rows
      sql<string>`to_char(i.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_ts'),
      'ch.kind as channel', 'ch.provider',
      'c.id as contact_id', 'c.name as contact_name', 'c.phone as contact_phone', 'c.username as contact_username',
      's.code as s_code', 's.started_at as s_started_at', 's.landing_url as s_landing_url', 's.referrer as s_referrer',
      's.source as s_source', 's.medium as s_medium', 's.campaign as s_campaign', 's.content as s_content', 's.term as s_term',
      's.traffic_type as s_traffic_type', 's.click_ids as s_click_ids', 's.os as s_os', 's.os_version as s_os_version',
      's.browser as s_browser', 's.device_type as s_device_type', 's.screen_width as s_screen_width',
      's.screen_height as s_screen_height', 's.language as s_language', 's.timezone as s_timezone', 's.country as s_country',
      's.region as s_region', 's.city as s_city',
    ]);
}

export type InquiryRow = Awaited<ReturnType<ReturnType<typeof inquiryRows>['execute']>>[number];

export function toInquiryView(r: InquiryRow): InquiryView {
  const ad = r.ad as Record<string, string | null> | null;
  return {
    id: r.id,
    received_at: r.received_at.toISOString(),
    channel: r.channel,
    provider: r.provider,
    type: r.type,
    match: { method: r.match_method, confidence: r.match_confidence },
    contact: { id: r.contact_id, name: r.contact_name, phone: r.contact_phone, username: r.contact_username },
    first_message: r.first_message,
    message_count: r.message_count,
    tags: r.tags,
    status: r.status,
    page: { url: r.page_url, path: r.page_path, title: r.page_title },
    session: r.s_code
      ? {
          code: r.s_code,
          started_at: r.s_started_at!.toISOString(),
          landing_url: r.s_landing_url,
          referrer: r.s_referrer,
          source: r.s_source,
          medium: r.s_medium,
          campaign: r.s_campaign,
          content: r.s_content,
          term: r.s_term,
          traffic_type: r.s_traffic_type!,
          click_ids: (r.s_click_ids ?? {}) as Record<string, string>,
          os: r.s_os,
          os_version: r.s_os_version,
          browser: r.s_browser,
          device_type: r.s_device_type,
          screen: r.s_screen_width && r.s_screen_height ? `${r.s_screen_width}x${r.s_screen_height}` : null,
          language: r.s_language,
          timezone: r.s_timezone,
          country: r.s_country,
          region: r.s_region,
          city: r.s_city,
        }
      : null,
    ad: ad ? { source_id: ad.source_id ?? null, source_url: ad.source_url ?? null, headline: ad.headline ?? null, ctwa_clid: ad.ctwa_clid ?? null } : null,
    last_message_at: r.last_message_at.toISOString(),
  };
}

/** Keyset cursor over (received_at desc, id desc): stable under concurrent inserts. */
export function encodeCursor(receivedAt: string, id: number): string {
  return Buffer.from(`${receivedAt}|${id}`).toString('base64url');
}

const CURSOR_TS = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;

export function decodeCursor(cursor: string): { receivedAt: string; id: number } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const [ts, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const n = Number(id);
  const t = CURSOR_TS.exec(ts ?? '');
  if (!t || extra !== undefined || !/^\d{1,16}$/.test(id ?? '') || !Number.isSafeInteger(n)) return null;
  if (!isCalendarDate(+t[1]!, +t[2]!, +t[3]!)) return null;
  return { receivedAt: ts!, id: n };
}
