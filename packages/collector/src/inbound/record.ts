import { sql, type Kysely, type Transaction } from 'kysely';
import type { ChannelsTable, DB, Site } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import type { InboundMessage } from './types.ts';
import { CLOCK_SKEW_MS, decideMatch, matchCandidates, type MatchDecision } from './matcher.ts';

export type Channel = Selectable<ChannelsTable>;

export interface InboundOptions {
  /** later messages within this of the dialog's last one count on the same inquiry */
  dialogTimeoutMs: number;
}

export type RecordOutcome = 'inquiry' | 'dialog' | 'kept' | 'duplicate';

const RANK: Record<MatchDecision['method'], number> = { start: 4, code: 4, ad_referral: 3, probable: 2, none: 1 };

/**
 * Stores one verified inbound message, once: the message row is the idempotency key, and the
 * contact, inquiry or dialog update commit with it or not at all.
 */
export async function recordInbound(db: Kysely<DB>, site: Site, channel: Channel, msg: InboundMessage, opts: InboundOptions): Promise<RecordOutcome> {
  const keepText = site.settings.store_text !== false;
  return db.transaction().execute(async (trx) => {
    const stored = await trx
      .insertInto('messages')
      .values({
        site_id: site.id,
        channel_id: channel.id,
        provider_message_id: msg.providerMessageId,
        received_at: msg.timestamp,
        kind: msg.kind,
        text: keepText ? msg.text : null,
        raw: keepText ? JSON.stringify(msg.raw ?? null) : null,
      })
      .onConflict((oc) => oc.columns(['site_id', 'channel_id', 'provider_message_id']).doNothing())
      .returning('provider_message_id')
      .executeTakeFirst();
    if (!stored) return 'duplicate';
    if (msg.kind !== 'message' || !msg.from) return 'kept';

    const contactId = await upsertContact(trx, site.id, channel.kind, msg);
    // Two deliveries from one person at once must not both open an inquiry.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${site.id}:${contactId}`}, 0))`.execute(trx);

    const candidates = matchCandidates(msg);
    const codes = [...new Set([...(candidates.startCode ? [candidates.startCode] : []), ...candidates.codes])];
    const sessions = codes.length
      ? await trx.selectFrom('sessions').select(['code', 'started_at', 'last_seen_at']).where('site_id', '=', site.id).where('code', 'in', codes).execute()
      : [];
    const decide = (clicks: Parameters<typeof decideMatch>[0]['clicks']) =>
      decideMatch({
        now: msg.timestamp,
        messenger: channel.kind,
        startCode: candidates.startCode,
        codes: candidates.codes,
        sessions: sessions.map((s) => ({ code: s.code, startedAt: s.started_at, lastSeenAt: s.last_seen_at })),
        referral: msg.referral,
        clicks,
      });
    let decision = decide([]);

    // The contact's latest inquiries tell both whether a dialog is open and whether this is a repeat.
    const recent = await trx
      .selectFrom('inquiries')
      .select(['id', 'received_at', 'last_message_at', 'match_method', 'session_code'])
      .where('site_id', '=', site.id)
      .where('contact_id', '=', contactId)
      .orderBy('received_at', 'desc')
      .limit(5)
      .execute();
    const since = msg.timestamp.getTime() - opts.dialogTimeoutMs;
    const until = msg.timestamp.getTime() + opts.dialogTimeoutMs;
    const dialog = recent.find((i) => i.last_message_at.getTime() > since && i.received_at.getTime() < until);
    const newVisit = decision.sessionCode !== null && decision.sessionCode !== dialog?.session_code;

    if (dialog && !newVisit) {
      // Delivered out of order: this message was written before the one that opened the dialog,
      // so it is the real first message, and it may carry the code the later one lacked.
      const earlier = msg.timestamp < dialog.received_at;
      const better = earlier && RANK[decision.method] > RANK[dialog.match_method];
      const page = better && decision.sessionCode ? await pageOfChat(trx, site.id, decision.sessionCode, channel, msg.timestamp) : null;
      await trx
        .updateTable('inquiries')
        .set((eb) => ({
          message_count: eb('message_count', '+', 1),
          last_message_at: sql`greatest(last_message_at, ${msg.timestamp}::timestamptz)`,
          ...(earlier ? { received_at: msg.timestamp, first_message: keepText ? msg.text : null } : {}),
          ...(better
            ? { match_method: decision.method, match_confidence: decision.confidence, session_code: decision.sessionCode, ad: decision.ad ? JSON.stringify(decision.ad) : null, page_url: page?.url ?? null, page_title: page?.title ?? null }
            : {}),
        }))
        .where('site_id', '=', site.id)
        .where('id', '=', dialog.id)
        .execute();
      await linkMessage(trx, site.id, channel.id, msg.providerMessageId, 'dialog', contactId, dialog.id);
      return 'dialog';
    }

    if (decision.method === 'none' || decision.method === 'ad_referral') {
      // No code: a recent click on a link to this channel may still tell where the person came from.
      const clicks = await recentClicks(trx, site.id, channel, msg.timestamp);
      if (clicks.length) {
        const withClicks = decide(clicks);
        if (withClicks.method === 'probable' && decision.method === 'none') decision = withClicks;
      }
    }
    const page = decision.sessionCode ? await pageOfChat(trx, site.id, decision.sessionCode, channel, msg.timestamp) : null;
    const earlier = recent.some((i) => i.received_at < msg.timestamp);
    const inquiry = await trx
      .insertInto('inquiries')
      .values({
        site_id: site.id,
        channel_id: channel.id,
        contact_id: contactId,
        received_at: msg.timestamp,
        last_message_at: msg.timestamp,
        type: earlier ? 'repeat' : 'new',
        match_method: decision.method,
        match_confidence: decision.confidence,
        session_code: decision.sessionCode,
        click_id: decision.clickId,
        page_url: page?.url ?? null,
        page_title: page?.title ?? null,
        first_message: keepText ? msg.text : null,
        ad: decision.ad ? JSON.stringify(decision.ad) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await linkMessage(trx, site.id, channel.id, msg.providerMessageId, 'inquiry', contactId, inquiry.id);
    return 'inquiry';
  });
}

async function upsertContact(trx: Transaction<DB>, siteId: number, messenger: Channel['kind'], msg: InboundMessage): Promise<number> {
  const from = msg.from!;
  const row = await trx
    .insertInto('contacts')
    .values({
      site_id: siteId,
      messenger,
      external_id: from.id,
      phone: from.phone,
      name: from.name,
      username: from.username,
      first_seen_at: msg.timestamp,
      last_seen_at: msg.timestamp,
    })
    .onConflict((oc) =>
      oc.columns(['site_id', 'messenger', 'external_id']).doUpdateSet({
        // What arrives fills in or refreshes; what does not arrive (a phone hidden since 2026) stays.
        phone: sql`coalesce(excluded.phone, contacts.phone)`,
        name: sql`coalesce(excluded.name, contacts.name)`,
        username: sql`coalesce(excluded.username, contacts.username)`,
        first_seen_at: sql`least(contacts.first_seen_at, excluded.first_seen_at)`,
        last_seen_at: sql`greatest(contacts.last_seen_at, excluded.last_seen_at)`,
      }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
  if (!row.inserted || !from.phone || from.id === from.phone) return row.id;
  // A new business-scoped id (WhatsApp, 2026) for a person known so far by phone: the same
  // person, so the old contact takes the new key and the row just made goes.
  const old = await trx
    .selectFrom('contacts')
    .select('id')
    .where('site_id', '=', siteId)
    .where('messenger', '=', messenger)
    .where('external_id', '=', from.phone)
    .executeTakeFirst();
  if (!old) return row.id;
  await trx.deleteFrom('contacts').where('site_id', '=', siteId).where('id', '=', row.id).execute();
  await trx
    .updateTable('contacts')
    .set({ external_id: from.id, name: sql`coalesce(${from.name}, name)`, username: sql`coalesce(${from.username}, username)`, last_seen_at: sql`greatest(last_seen_at, ${msg.timestamp}::timestamptz)` })
    .where('site_id', '=', siteId)
    .where('id', '=', old.id)
    .execute();
  return old.id;
}

/** Clicks on links to this channel shortly before the message, with whether an inquiry already took their visit. */
async function recentClicks(trx: Transaction<DB>, siteId: number, channel: Channel, at: Date) {
  const rows = await trx
    .selectFrom('chat_clicks as k')
    .select((eb) => [
      'k.id',
      'k.session_code',
      'k.ts',
      eb
        .exists(eb.selectFrom('inquiries as i').select('i.id').whereRef('i.site_id', '=', 'k.site_id').whereRef('i.session_code', '=', 'k.session_code'))
        .as('taken'),
    ])
    .where('k.site_id', '=', siteId)
    .where('k.messenger', '=', channel.kind)
    .where('k.target', 'in', [channel.address, ''])
    .where('k.ts', '>', new Date(at.getTime() - 60 * 60_000))
    .where('k.ts', '<=', new Date(at.getTime() + CLOCK_SKEW_MS))
    .orderBy('k.ts', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, sessionCode: r.session_code, ts: r.ts, alreadyMatched: Boolean(r.taken) }));
}

/** The page the chat was opened from: the visit's last click on a messenger link before the message, else its last page, else its landing page. */
async function pageOfChat(trx: Transaction<DB>, siteId: number, code: string, channel: Channel, at: Date): Promise<{ url: string; title: string | null } | null> {
  const limit = new Date(at.getTime() + CLOCK_SKEW_MS);
  const { rows } = await sql<{ url: string; title: string | null }>`
    select url, title from (
      (select page_url as url, page_title as title, 1 as rank from chat_clicks
        where site_id = ${siteId} and session_code = ${code} and messenger = ${channel.kind} and ts <= ${limit}
        order by ts desc limit 1)
      union all
      (select url, title, 2 from pageviews
        where site_id = ${siteId} and session_code = ${code} and ts <= ${limit}
        order by ts desc limit 1)
      union all
      (select landing_url, landing_title, 3 from sessions
        where site_id = ${siteId} and code = ${code} and landing_url is not null)
    ) as pages order by rank limit 1`.execute(trx);
  return rows[0] ?? null;
}

async function linkMessage(trx: Transaction<DB>, siteId: number, channelId: string, providerMessageId: string, kind: string, contactId: number, inquiryId: number) {
  await trx
    .updateTable('messages')
    .set({ kind, contact_id: contactId, inquiry_id: inquiryId })
    .where('site_id', '=', siteId)
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', providerMessageId)
    .execute();
}
