import { makeCode } from '@chatmark/shared';
import type { Kysely } from 'kysely';
import type { DB, MatchMethod } from '../../src/db/schema.ts';

/**
 * Rows written straight into the tables, at chosen instants: the read side is tested on data
 * whose every count is known, without going through ingest and the matcher.
 */

export interface SessionSeed {
  code?: string;
  startedAt: string;
  trafficType?: string;
  source?: string | null;
  medium?: string | null;
  campaign?: string | null;
  isBot?: boolean;
  landingUrl?: string;
  clickIds?: Record<string, string>;
}

export async function seedSession(db: Kysely<DB>, siteId: number, s: SessionSeed): Promise<string> {
  const code = s.code ?? makeCode();
  const at = new Date(s.startedAt);
  await db
    .insertInto('sessions')
    .values({
      site_id: siteId,
      code,
      visitor_id: `v-${code}`,
      started_at: at,
      last_seen_at: at,
      landing_url: s.landingUrl ?? 'https://shop.example.com/',
      traffic_type: s.trafficType ?? 'direct',
      source: s.source ?? null,
      medium: s.medium ?? null,
      campaign: s.campaign ?? null,
      click_ids: JSON.stringify(s.clickIds ?? {}),
      os: 'Windows',
      browser: 'Chrome',
      device_type: 'desktop',
      screen_width: 1920,
      screen_height: 1080,
      language: 'ru-RU',
      country: 'RU',
      city: 'Москва',
      is_bot: s.isBot ?? false,
    })
    .execute();
  return code;
}

const pathOf = (url: string) => new URL(url).pathname;

export async function seedPageview(db: Kysely<DB>, siteId: number, code: string, ts: string, url: string, title: string | null = null) {
  await db.insertInto('pageviews').values({ site_id: siteId, ts: new Date(ts), session_code: code, url, path: pathOf(url), title }).execute();
}

export async function seedClick(db: Kysely<DB>, siteId: number, code: string, ts: string, url: string, messenger: 'whatsapp' | 'telegram' = 'whatsapp', title: string | null = null) {
  await db
    .insertInto('chat_clicks')
    .values({ site_id: siteId, ts: new Date(ts), session_code: code, messenger, page_url: url, page_path: pathOf(url), page_title: title })
    .execute();
}

export async function seedContact(
  db: Kysely<DB>,
  siteId: number,
  c: { messenger?: 'whatsapp' | 'telegram'; externalId?: string; name?: string | null; phone?: string | null; username?: string | null },
): Promise<number> {
  const row = await db
    .insertInto('contacts')
    .values({
      site_id: siteId,
      messenger: c.messenger ?? 'whatsapp',
      external_id: c.externalId ?? Math.random().toString(36).slice(2),
      name: c.name ?? null,
      phone: c.phone ?? null,
      username: c.username ?? null,
      first_seen_at: new Date('2020-01-01T00:00:00Z'),
      last_seen_at: new Date('2020-01-01T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface InquirySeed {
  channelId: string;
  contactId: number;
  receivedAt: string;
  type?: 'new' | 'repeat';
  match?: MatchMethod;
  confidence?: number;
  sessionCode?: string | null;
  pageUrl?: string | null;
  pageTitle?: string | null;
  firstMessage?: string | null;
  tags?: string[];
  status?: string;
  ad?: Record<string, string | null> | null;
}

export async function seedInquiry(db: Kysely<DB>, siteId: number, i: InquirySeed): Promise<number> {
  const at = new Date(i.receivedAt);
  const match = i.match ?? (i.sessionCode ? 'code' : 'none');
  const row = await db
    .insertInto('inquiries')
    .values({
      site_id: siteId,
      channel_id: i.channelId,
      contact_id: i.contactId,
      received_at: at,
      last_message_at: at,
      type: i.type ?? 'new',
      match_method: match,
      match_confidence: i.confidence ?? (match === 'none' ? 0 : 1),
      session_code: i.sessionCode ?? null,
      page_url: i.pageUrl ?? null,
      page_title: i.pageTitle ?? null,
      first_message: i.firstMessage ?? null,
      tags: i.tags ?? [],
      status: i.status ?? 'new',
      ad: i.ad ? JSON.stringify(i.ad) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
