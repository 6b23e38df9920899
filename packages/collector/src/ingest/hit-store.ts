import { sql, type Kysely, type Transaction } from 'kysely';
import { makeCode } from '@chatmark/shared';
import type { DB, NewSession } from '../db/schema.ts';
import { SessionCache } from './session-cache.ts';

/** Session columns taken from the hit that opens the session; ignored for known sessions. */
export type SessionFields = Omit<NewSession, 'site_id' | 'code' | 'visitor_id' | 'started_at' | 'last_seen_at' | 'client_code'>;

export interface PageRef {
  url: string;
  path: string;
  title: string | null;
}

/** One hit, enriched, as the writer stores it. */
export interface HitWrite {
  siteId: number;
  ts: Date;
  visitorId: string;
  /** the code the browser sent */
  code: string;
  /** null when the session is already known to this process (no enrichment was done) */
  session: SessionFields | null;
  pageview?: PageRef;
  click?: PageRef & { messenger: 'whatsapp' | 'telegram'; target: string };
  event?: { name: string; props: Record<string, unknown>; url: string; path: string };
}

export interface HitWriteResult {
  /** the code the hit was recorded under: a fresh one when the sent code was another visitor's */
  code: string;
}

// A session's last_seen_at is written at most this often; durations come from the pageviews.
const TOUCH_EVERY_MS = 60_000;

/**
 * Writes batches of hits in one transaction: session upserts, then the append-only rows with
 * multi-row inserts. Rows are sorted by key so two concurrent batches lock in the same order.
 */
export class HitStore {
  readonly cache = new SessionCache();

  constructor(private readonly db: Kysely<DB>) {}

  /** The code a hit of this browser is recorded under, if this process already knows its session. */
  known(siteId: number, code: string, visitorId: string): boolean {
    return this.cache.get(SessionCache.key(siteId, code, visitorId)) !== undefined;
  }

  async writeBatch(items: HitWrite[]): Promise<HitWriteResult[]> {
    const cacheUpdates: Array<[string, { visitorId: string; code: string; touchedAt: number }]> = [];
    const results = await this.db.transaction().execute(async (trx) => {
      const resolved = await this.resolveSessions(trx, items, cacheUpdates);
      await this.insertRows(trx, items, resolved);
      return resolved.map((code) => ({ code }));
    });
    // Only what is committed may be remembered.
    for (const [k, v] of cacheUpdates) this.cache.set(k, v);
    return results;
  }

  private async resolveSessions(
    trx: Transaction<DB>,
    items: HitWrite[],
    cacheUpdates: Array<[string, { visitorId: string; code: string; touchedAt: number }]>,
  ): Promise<string[]> {
    const codes: string[] = new Array(items.length);
    const toUpsert = new Map<string, { item: HitWrite; indexes: number[] }>();
    const touches = new Map<string, { siteId: number; code: string; ts: Date; visitorId: string }>();

    items.forEach((item, i) => {
      const known = this.cache.get(SessionCache.key(item.siteId, item.code, item.visitorId));
      if (known) {
        codes[i] = known.code;
        if (item.ts.getTime() - known.touchedAt > TOUCH_EVERY_MS) {
          touches.set(`${item.siteId}:${known.code}`, { siteId: item.siteId, code: known.code, ts: item.ts, visitorId: item.visitorId });
        }
        return;
      }
      const key = SessionCache.key(item.siteId, item.code, item.visitorId);
      const entry = toUpsert.get(key);
      if (entry) entry.indexes.push(i);
      else toUpsert.set(key, { item, indexes: [i] });
    });

    // One statement per distinct (site, code); a second visitor claiming the same code in this
    // batch is a collision like any other.
    const claims = new Map<string, { item: HitWrite; indexes: number[] }>();
    const collisions: Array<{ item: HitWrite; indexes: number[] }> = [];
    for (const entry of toUpsert.values()) {
      const k = `${entry.item.siteId}:${entry.item.code}`;
      if (claims.has(k)) collisions.push(entry);
      else claims.set(k, entry);
    }

    const ordered = [...claims.values()].sort((a, b) => a.item.siteId - b.item.siteId || cmp(a.item.code, b.item.code));
    const newSessions: Array<{ item: HitWrite; code: string }> = [];
    if (ordered.length) {
      const rows = await trx
        .insertInto('sessions')
        .values(ordered.map(({ item }) => sessionRow(item, item.code, null)))
        .onConflict((oc) =>
          oc
            .columns(['site_id', 'code'])
            .doUpdateSet({ last_seen_at: sql`greatest(sessions.last_seen_at, excluded.last_seen_at)` })
            .where(sql<boolean>`sessions.visitor_id = excluded.visitor_id`),
        )
        .returning(['site_id', 'code', sql<boolean>`(xmax = 0)`.as('inserted')])
        .execute();
      const written = new Map(rows.map((r) => [`${r.site_id}:${r.code}`, r.inserted]));
      for (const entry of ordered) {
        const { item } = entry;
        const inserted = written.get(`${item.siteId}:${item.code}`);
        if (inserted === undefined) {
          collisions.push(entry);
          continue;
        }
        for (const i of entry.indexes) codes[i] = item.code;
        if (inserted) newSessions.push({ item, code: item.code });
        cacheUpdates.push([SessionCache.key(item.siteId, item.code, item.visitorId), { visitorId: item.visitorId, code: item.code, touchedAt: item.ts.getTime() }]);
      }
    }

    for (const entry of collisions) {
      const { item } = entry;
      const { code, inserted } = await this.replacementSession(trx, item);
      for (const i of entry.indexes) codes[i] = code;
      if (inserted) newSessions.push({ item, code });
      cacheUpdates.push([SessionCache.key(item.siteId, item.code, item.visitorId), { visitorId: item.visitorId, code, touchedAt: item.ts.getTime() }]);
    }

    if (touches.size) {
      const list = [...touches.values()].sort((a, b) => a.siteId - b.siteId || cmp(a.code, b.code));
      await sql`update sessions set last_seen_at = v.ts
        from (values ${sql.join(list.map((t) => sql`(${t.siteId}::int, ${t.code}::text, ${t.ts}::timestamptz)`))}) as v(site_id, code, ts)
        where sessions.site_id = v.site_id and sessions.code = v.code and sessions.last_seen_at < v.ts`.execute(trx);
      for (const t of list) {
        cacheUpdates.push([SessionCache.key(t.siteId, t.code, t.visitorId), { visitorId: t.visitorId, code: t.code, touchedAt: t.ts.getTime() }]);
      }
    }

    if (newSessions.length) await upsertVisitors(trx, newSessions);
    return codes;
  }

  /**
   * The sent code is another visitor's. The same browser may have collided before (its later
   * hits still carry the old code until it reads our answer): reuse that session, else open one
   * under a fresh code.
   */
  private async replacementSession(trx: Transaction<DB>, item: HitWrite): Promise<{ code: string; inserted: boolean }> {
    const earlier = await trx
      .selectFrom('sessions')
      .select('code')
      .where('site_id', '=', item.siteId)
      .where('client_code', '=', item.code)
      .where('visitor_id', '=', item.visitorId)
      .executeTakeFirst();
    if (earlier) return { code: earlier.code, inserted: false };
    for (;;) {
      const code = makeCode();
      const row = await trx
        .insertInto('sessions')
        .values(sessionRow(item, code, item.code))
        .onConflict((oc) => oc.columns(['site_id', 'code']).doNothing())
        .returning('code')
        .executeTakeFirst();
      if (row) return { code, inserted: true };
    }
  }

  private async insertRows(trx: Transaction<DB>, items: HitWrite[], codes: string[]) {
    const pageviews = [];
    const clicks = [];
    const events = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const base = { site_id: it.siteId, ts: it.ts, session_code: codes[i]! };
      if (it.pageview) pageviews.push({ ...base, url: it.pageview.url, path: it.pageview.path, title: it.pageview.title });
      if (it.click) {
        const c = it.click;
        clicks.push({ ...base, messenger: c.messenger, target: c.target, page_url: c.url, page_path: c.path, page_title: c.title });
      }
      if (it.event) events.push({ ...base, name: it.event.name, props: JSON.stringify(it.event.props), page_url: it.event.url, page_path: it.event.path });
    }
    if (pageviews.length) await trx.insertInto('pageviews').values(pageviews).execute();
    if (clicks.length) await trx.insertInto('chat_clicks').values(clicks).execute();
    if (events.length) await trx.insertInto('events').values(events).execute();
  }
}

function sessionRow(item: HitWrite, code: string, clientCode: string | null): NewSession {
  const s: Partial<SessionFields> = item.session ?? {};
  return {
    ...s,
    click_ids: JSON.stringify(s.click_ids ?? {}),
    site_id: item.siteId,
    code,
    visitor_id: item.visitorId,
    started_at: item.ts,
    last_seen_at: item.ts,
    client_code: clientCode,
  };
}

/** First touch on the visitor's first session; last touch on every later non-direct one. */
async function upsertVisitors(trx: Transaction<DB>, sessions: Array<{ item: HitWrite; code: string }>) {
  const byVisitor = new Map<string, Array<{ item: HitWrite; code: string }>>();
  for (const s of sessions) {
    const k = `${s.item.siteId}:${s.item.visitorId}`;
    const list = byVisitor.get(k);
    if (list) list.push(s);
    else byVisitor.set(k, [s]);
  }
  const rows = [...byVisitor.values()]
    .map((list) => {
      list.sort((a, b) => a.item.ts.getTime() - b.item.ts.getTime());
      const first = list[0]!;
      const lastPaid = [...list].reverse().find((s) => (s.item.session?.traffic_type ?? 'direct') !== 'direct');
      const f: Partial<SessionFields> = first.item.session ?? {};
      const l: Partial<SessionFields> = lastPaid?.item.session ?? {};
      return {
        site_id: first.item.siteId,
        id: first.item.visitorId,
        first_seen_at: first.item.ts,
        last_seen_at: list[list.length - 1]!.item.ts,
        first_session: first.code,
        first_traffic_type: f.traffic_type ?? 'direct',
        first_source: f.source ?? null,
        first_medium: f.medium ?? null,
        first_campaign: f.campaign ?? null,
        last_session: lastPaid?.code ?? null,
        last_traffic_type: lastPaid ? (l.traffic_type ?? null) : null,
        last_source: lastPaid ? (l.source ?? null) : null,
        last_medium: lastPaid ? (l.medium ?? null) : null,
        last_campaign: lastPaid ? (l.campaign ?? null) : null,
        sessions: list.length,
      };
    })
    .sort((a, b) => a.site_id - b.site_id || cmp(a.id, b.id));
  const keep = (col: string) => sql<string | null>`case when excluded.last_session is null then visitors.${sql.raw(col)} else excluded.${sql.raw(col)} end`;
  await trx
    .insertInto('visitors')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['site_id', 'id']).doUpdateSet({
        last_seen_at: sql`greatest(visitors.last_seen_at, excluded.last_seen_at)`,
        sessions: sql`visitors.sessions + excluded.sessions`,
        last_session: keep('last_session'),
        last_traffic_type: keep('last_traffic_type'),
        last_source: keep('last_source'),
        last_medium: keep('last_medium'),
        last_campaign: keep('last_campaign'),
      }),
    )
    .execute();
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
