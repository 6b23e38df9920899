import type { Kysely } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { enrichSession } from '../ingest/enrich-session.ts';
import { HitStore, type HitWrite } from '../ingest/hit-store.ts';
import { recordInbound, type Channel } from '../inbound/record.ts';
import { updateInquiry } from '../query/journal.ts';
import { DEMO_TAGS, generateDemoData, prng, type DemoHit, type DemoMessage } from './generate.ts';
import type { InboundMessage } from '../inbound/types.ts';

const BATCH = 500;
const DIALOG_TIMEOUT_MS = 7 * 86_400_000;

/**
 * Writes the demo history into a fresh demo site: hits through the ingest writer (sessions,
 * visitors, page views, chat clicks), messages through the inbound recorder (contacts, matching,
 * inquiries, dialogs), then an analyst's tags and statuses. So the rows are what real traffic
 * would leave, matched by the real matcher.
 */
export async function seedDemoData(db: Kysely<DB>, site: Site, channels: Record<'whatsapp' | 'telegram', Channel>, now = new Date()): Promise<void> {
  const data = generateDemoData(now);
  const store = new HitStore(db);
  for (let i = 0; i < data.hits.length; i += BATCH) {
    const results = await store.writeBatch(data.hits.slice(i, i + BATCH).map((h) => toHitWrite(site, h)));
    const failed = results.find((x) => x instanceof Error);
    if (failed) throw failed;
  }
  for (const [n, m] of data.messages.entries()) {
    await recordInbound(db, channels[m.channel], toInbound(m, n), { dialogTimeoutMs: DIALOG_TIMEOUT_MS });
  }
  await markInquiries(db, site, now);
}

function toHitWrite(site: Site, h: DemoHit): HitWrite {
  const url = new URL(h.hit.u);
  const page = { url: h.hit.u, path: url.pathname, title: h.hit.ti ?? null };
  // No address to look up: the place comes with the generated visitor.
  const session = { ...enrichSession(h.hit, h.userAgent, '', site.domains), country: h.place.country, region: h.place.region, city: h.place.city };
  return {
    siteId: site.id,
    ts: h.ts,
    visitorId: h.hit.v,
    code: h.hit.c,
    session,
    ...(h.hit.t === 'click'
      ? { click: { ...page, messenger: h.hit.m === 'tg' ? 'telegram' : 'whatsapp', target: h.hit.to ?? '' } }
      : { pageview: page }),
  };
}

function toInbound(m: DemoMessage, n: number): InboundMessage {
  return {
    providerMessageId: `demo-seed-${n}`,
    kind: 'message',
    messenger: m.channel,
    timestamp: m.ts,
    from: { id: m.contact.id, phone: m.contact.phone, name: m.contact.name, username: m.contact.username },
    chatId: m.channel === 'telegram' ? m.contact.id : null,
    text: m.text,
    startParam: m.startParam,
    referral: m.referral,
    raw: { demo: true },
  };
}

/** What an analyst would have done: older inquiries worked through, some tagged; the last days still new. */
async function markInquiries(db: Kysely<DB>, site: Site, now: Date) {
  const r = prng(8);
  const rows = await db.selectFrom('inquiries').select(['id', 'received_at']).where('site_id', '=', site.id).orderBy('id').execute();
  for (const row of rows) {
    const fresh = now.getTime() - row.received_at.getTime() < 3 * 86_400_000;
    const status = fresh ? (r.chance(0.3) ? 'in_progress' : undefined) : r.weighted([['sale', 28], ['qualified', 20], ['in_progress', 8], ['junk', 9], [undefined, 35]] as const);
    const tags = r.chance(0.3) ? [...new Set([r.pick(DEMO_TAGS), ...(r.chance(0.3) ? [r.pick(DEMO_TAGS)] : [])])] : undefined;
    if (status || tags) await updateInquiry(db, site, row.id, { ...(status ? { status } : {}), ...(tags ? { tags } : {}) });
  }
}
