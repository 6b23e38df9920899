import { sql, type Kysely, type QueryCreator, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { ChannelsTable, DB } from '../db/schema.ts';
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
 *
 * A message takes three statements in its transaction (store it with its contact; read what
 * matching needs; write the inquiry) rather than one per step: each round trip to the database costs more than
 * the work it carries, and fewer of them is what keeps webhook latency flat under load.
 */
export async function recordInbound(db: Kysely<DB>, channel: Channel, msg: InboundMessage, opts: InboundOptions): Promise<RecordOutcome> {
  const siteId = channel.site_id;
  return db.transaction().execute(async (trx) => {
    const stored = await storeMessage(trx, channel, msg);
    if (!stored) return 'duplicate';
    if (stored.contactId === null) return 'kept';
    const keepText = stored.keepText;
    const contactId = stored.knownByPhone === null ? stored.contactId : await mergeByPhone(trx, siteId, msg, stored.contactId, stored.knownByPhone);

    const candidates = matchCandidates(msg);
    const codes = [...new Set([...(candidates.startCode ? [candidates.startCode] : []), ...candidates.codes])];
    const known = await matchingFacts(trx, siteId, contactId, codes, channel, msg.timestamp);
    const decide = (clicks: Parameters<typeof decideMatch>[0]['clicks']) =>
      decideMatch({
        now: msg.timestamp,
        messenger: channel.kind,
        startCode: candidates.startCode,
        codes: candidates.codes,
        sessions: known.sessions,
        referral: msg.referral,
        clicks,
      });
    let decision = decide([]);
    // The inquiry written (the CTE `opened`) and the message row's link to it go in one statement.
    const linkMessage = (q: QueryCreator<DB & { opened: { id: number } }>, kind: 'inquiry' | 'dialog') =>
      q
        .updateTable('messages')
        .set((eb) => ({ kind, contact_id: contactId, inquiry_id: eb.selectFrom('opened').select('id') }))
        .where('site_id', '=', siteId)
        .where('channel_id', '=', channel.id)
        .where('provider_message_id', '=', msg.providerMessageId)
        .execute();
    const pageOf = async (code: string | null) => (code === null ? null : (known.pages.get(code) ?? (await pageOfChat(trx, siteId, code, channel, msg.timestamp))));

    // The contact's latest inquiries tell both whether a dialog is open and whether this is a repeat.
    const recent = known.recent;
    const since = msg.timestamp.getTime() - opts.dialogTimeoutMs;
    const until = msg.timestamp.getTime() + opts.dialogTimeoutMs;
    const dialog = recent.find((i) => i.lastMessageAt.getTime() > since && i.receivedAt.getTime() < until);
    const newVisit = decision.sessionCode !== null && decision.sessionCode !== dialog?.sessionCode;

    if (dialog && !newVisit) {
      // Delivered out of order: this message was written before the one that opened the dialog,
      // so it is the real first message, and it may carry the code the later one lacked.
      const earlier = msg.timestamp < dialog.receivedAt;
      const better = earlier && RANK[decision.method] > RANK[dialog.matchMethod];
      const page = better ? await pageOf(decision.sessionCode) : null;
      await linkMessage(
        trx.with('opened', (w) =>
          w
            .updateTable('inquiries')
            .set((eb) => ({
              message_count: eb('message_count', '+', 1),
              last_message_at: sql`greatest(last_message_at, ${msg.timestamp}::timestamptz)`,
              ...(earlier ? { received_at: msg.timestamp, first_message: keepText ? msg.text : null } : {}),
              ...(better
                ? { match_method: decision.method, match_confidence: decision.confidence, session_code: decision.sessionCode, ad: decision.ad ? JSON.stringify(decision.ad) : null, page_url: page?.url ?? null, page_title: page?.title ?? null }
                : {}),
            }))
            .where('site_id', '=', siteId)
            .where('id', '=', dialog.id)
            .returning('id'),
        ),
        'dialog',
      );
      return 'dialog';
    }

    if (decision.method === 'none' || decision.method === 'ad_referral') {
      // No code: a recent click on a link to this channel may still tell where the person came from.
      const clicks = await recentClicks(trx, siteId, channel, msg.timestamp);
      if (clicks.length) {
        const withClicks = decide(clicks);
        if (withClicks.method === 'probable' && decision.method === 'none') decision = withClicks;
      }
    }
    const page = await pageOf(decision.sessionCode);
    const earlier = recent.some((i) => i.receivedAt < msg.timestamp);
    await linkMessage(
      trx.with('opened', (w) =>
        w
          .insertInto('inquiries')
          .values({
            site_id: siteId,
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
          .returning('id'),
      ),
      'inquiry',
    );
    return 'inquiry';
  });
}

/**
 * The message row, in one statement with what must come with it: the site's privacy setting
 * decides whether its text is kept, and a customer's message upserts its contact. The upsert
 * always writes the contact row (DO UPDATE, never DO NOTHING), so it holds that row's lock to the
 * end of the transaction: two messages from one person are recorded one after the other, and the
 * second reads what the first committed (two deliveries at once never both open an inquiry).
 * Null for a duplicate.
 */
async function storeMessage(
  trx: Transaction<DB>,
  channel: Channel,
  msg: InboundMessage,
): Promise<{ keepText: boolean; contactId: number | null; knownByPhone: number | null } | null> {
  const from = msg.kind === 'message' ? msg.from : null;
  const site = channel.site_id;
  // A new business-scoped id (WhatsApp, 2026) for a person so far known by phone: the contact
  // keyed by the phone, if any, is the same person (mergeByPhone).
  const byPhone =
    from?.phone && from.id !== from.phone
      ? sql`(select id from contacts where site_id = ${site} and messenger = ${channel.kind} and external_id = ${from.phone})`
      : sql`null`;
  const contact = from
    ? sql`, contact as (
        insert into contacts (site_id, messenger, external_id, phone, name, username, first_seen_at, last_seen_at)
        select ${site}, ${channel.kind}, ${from.id}, ${from.phone}, ${from.name}, ${from.username}, ${msg.timestamp}, ${msg.timestamp} from stored
        on conflict (site_id, messenger, external_id) do update set
          phone = coalesce(excluded.phone, contacts.phone),
          name = coalesce(excluded.name, contacts.name),
          username = coalesce(excluded.username, contacts.username),
          first_seen_at = least(contacts.first_seen_at, excluded.first_seen_at),
          last_seen_at = greatest(contacts.last_seen_at, excluded.last_seen_at)
        returning id, xmax = 0 as inserted)`
    : sql``;
  // What arrives fills in or refreshes a contact; what does not arrive (a phone hidden since 2026) stays.
  const { rows } = await sql<{ keep: boolean; contact_id: number | null; inserted: boolean | null; by_phone: number | null }>`
    with site as (select settings->'store_text' is distinct from 'false'::jsonb as keep from sites where id = ${site}),
    stored as (
      insert into messages (site_id, channel_id, provider_message_id, received_at, kind, text, raw)
      select ${site}, ${channel.id}, ${msg.providerMessageId}, ${msg.timestamp}, ${msg.kind},
        case when keep then ${msg.text}::text end, case when keep then ${JSON.stringify(msg.raw ?? null)}::jsonb end
      from site
      on conflict (site_id, channel_id, provider_message_id) do nothing
      returning 1)${contact}
    select keep, ${from ? sql`(select id from contact)` : sql`null`} as contact_id, ${from ? sql`(select inserted from contact)` : sql`null`} as inserted,
      ${byPhone} as by_phone
    from site where exists (select 1 from stored)`.execute(trx);
  const row = rows[0];
  if (!row) return null;
  return {
    keepText: row.keep,
    contactId: row.contact_id === null ? null : Number(row.contact_id),
    knownByPhone: row.inserted && row.by_phone !== null ? Number(row.by_phone) : null,
  };
}

/**
 * Everything matching and dialog tracking read, in one statement: the sessions with the
 * candidate codes, the contact's latest inquiries, and the page each candidate visit opened the
 * chat from.
 */
async function matchingFacts(trx: Transaction<DB>, siteId: number, contactId: number, codes: string[], channel: Channel, at: Date) {
  const { rows } = await sql<{ sessions: { code: string; started: number; seen: number }[]; recent: { id: number; received: number; last: number; method: MatchDecision['method']; code: string | null }[]; pages: { code: string; url: string; title: string | null }[] }>`
    select
      (select coalesce(json_agg(json_build_object('code', code, 'started', ${epochMs(sql.ref('started_at'))}, 'seen', ${epochMs(sql.ref('last_seen_at'))})), '[]')
        from sessions where site_id = ${siteId} and code = any(${codes}::text[])) as sessions,
      (select coalesce(json_agg(json_build_object('id', id, 'received', ${epochMs(sql.ref('received_at'))}, 'last', ${epochMs(sql.ref('last_message_at'))}, 'method', match_method, 'code', session_code) order by received_at desc), '[]')
        from (select id, received_at, last_message_at, match_method, session_code from inquiries
          where site_id = ${siteId} and contact_id = ${contactId} order by received_at desc limit 5) as r) as recent,
      (select coalesce(json_agg(json_build_object('code', c.code, 'url', p.url, 'title', p.title)), '[]')
        from unnest(${codes}::text[]) as c(code) cross join lateral (${pageQuery(siteId, sql.ref('c.code'), channel, at)}) as p) as pages`.execute(trx);
  const facts = rows[0]!;
  return {
    sessions: facts.sessions.map((s) => ({ code: s.code, startedAt: new Date(s.started), lastSeenAt: new Date(s.seen) })),
    recent: facts.recent.map((i) => ({ id: Number(i.id), receivedAt: new Date(i.received), lastMessageAt: new Date(i.last), matchMethod: i.method, sessionCode: i.code })),
    pages: new Map(facts.pages.map((p) => [p.code, { url: p.url, title: p.title }])),
  };
}

/** Milliseconds since the epoch: JSON carries them exactly, where a timestamp's text would need parsing. */
const epochMs = (column: RawBuilder<unknown>) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/** The contact just made for a new id gives way to the one known by phone, which takes the new key. */
async function mergeByPhone(trx: Transaction<DB>, siteId: number, msg: InboundMessage, newId: number, oldId: number): Promise<number> {
  const from = msg.from!;
  await trx.deleteFrom('contacts').where('site_id', '=', siteId).where('id', '=', newId).execute();
  await trx
    .updateTable('contacts')
    .set({ external_id: from.id, name: sql`coalesce(${from.name}, name)`, username: sql`coalesce(${from.username}, username)`, last_seen_at: sql`greatest(last_seen_at, ${msg.timestamp}::timestamptz)` })
    .where('site_id', '=', siteId)
    .where('id', '=', oldId)
    .execute();
  return oldId;
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
function pageQuery(siteId: number, code: unknown, channel: Channel, at: Date) {
  const limit = new Date(at.getTime() + CLOCK_SKEW_MS);
  return sql<{ url: string; title: string | null }>`
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
    ) as pages order by rank limit 1`;
}

async function pageOfChat(trx: Transaction<DB>, siteId: number, code: string, channel: Channel, at: Date) {
  const { rows } = await pageQuery(siteId, code, channel, at).execute(trx);
  return rows[0] ?? null;
}
