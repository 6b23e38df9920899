import { sql, type Kysely, type RawBuilder } from 'kysely';
import { makeCode } from '@chatmark/shared';
import type { DB, NewSession } from '../db/schema.ts';
import { SessionCache, type KnownSession } from './session-cache.ts';
import { names, jsonInsert, jsonRows, type Column } from './json-rows.ts';

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

type Executor = Kysely<DB>;
type CacheUpdate = [key: string, value: KnownSession];
interface Touch {
  siteId: number;
  code: string;
  ts: Date;
  key: string;
  known: KnownSession;
}
interface Claim {
  item: HitWrite;
  indexes: number[];
  /** the code the session is written under: the sent one, or a fresh one after a collision */
  code: string;
  clientCode: string | null;
}

// A session's last_seen_at is written at most this often; durations come from the pageviews.
const TOUCH_EVERY_MS = 60_000;

const SESSION_COLUMNS = [
  ['site_id', 'int'], ['code', 'text'], ['visitor_id', 'text'], ['started_at', 'timestamptz'], ['last_seen_at', 'timestamptz'],
  ['client_code', 'text'], ['landing_url', 'text'], ['landing_title', 'text'], ['referrer', 'text'], ['traffic_type', 'text'],
  ['source', 'text'], ['medium', 'text'], ['campaign', 'text'], ['content', 'text'], ['term', 'text'], ['click_ids', 'jsonb'],
  ['user_agent', 'text'], ['os', 'text'], ['os_version', 'text'], ['browser', 'text'], ['browser_version', 'text'],
  ['device_type', 'text'], ['device_vendor', 'text'], ['device_model', 'text'], ['screen_width', 'int'], ['screen_height', 'int'],
  ['pixel_ratio', 'real'], ['viewport_width', 'int'], ['viewport_height', 'int'], ['language', 'text'], ['timezone', 'text'],
  ['country', 'text'], ['region', 'text'], ['city', 'text'], ['is_bot', 'boolean'],
] as const satisfies readonly Column[];

const PAGEVIEW_COLUMNS = [['site_id', 'int'], ['ts', 'timestamptz'], ['session_code', 'text'], ['url', 'text'], ['path', 'text'], ['title', 'text']] as const;
const CLICK_COLUMNS = [
  ['site_id', 'int'], ['ts', 'timestamptz'], ['session_code', 'text'], ['messenger', 'text'], ['target', 'text'],
  ['page_url', 'text'], ['page_path', 'text'], ['page_title', 'text'],
] as const;
const EVENT_COLUMNS = [['site_id', 'int'], ['ts', 'timestamptz'], ['session_code', 'text'], ['name', 'text'], ['props', 'jsonb'], ['page_url', 'text'], ['page_path', 'text']] as const;

/**
 * Writes batches of hits, each in one statement: data-modifying CTEs upsert the new sessions and
 * their visitors, touch known sessions, and append the pageviews, clicks and events, so a batch
 * costs one round trip and no explicit transaction. Only the rare hit whose code turned out to be
 * another visitor's takes a second, separate transaction. Rows are sorted by key so concurrent
 * batches lock in the same order.
 */
export class HitStore {
  readonly cache = new SessionCache();

  constructor(private readonly db: Kysely<DB>) {}

  /** Whether this process has already written the session of this browser and code. */
  known(siteId: number, code: string, visitorId: string): boolean {
    return this.cache.get(SessionCache.key(siteId, code, visitorId)) !== undefined;
  }

  /** One result per item: the code it was recorded under, or the error that kept it out. */
  async writeBatch(items: HitWrite[]): Promise<Array<HitWriteResult | Error>> {
    const codes: string[] = new Array(items.length);
    const claims = new Map<string, Claim>();
    const touches = new Map<string, Touch>();
    items.forEach((item, i) => {
      const key = SessionCache.key(item.siteId, item.code, item.visitorId);
      const known = this.cache.get(key);
      if (!known) {
        const claim = claims.get(key);
        if (claim) claim.indexes.push(i);
        else claims.set(key, { item, indexes: [i], code: item.code, clientCode: null });
        return;
      }
      codes[i] = known.code;
      if (item.ts.getTime() - known.touchedAt > TOUCH_EVERY_MS) {
        touches.set(key, { siteId: item.siteId, code: known.code, ts: item.ts, key, known });
      }
    });

    // One claim per (site, code): a second visitor claiming a code in the same batch, or a code
    // whose owner this process knows, is a collision before anything is written.
    const owned = new Set([...touches.values()].map((t) => `${t.siteId}:${t.code}`));
    const first = new Map<string, Claim>();
    const collisions: Claim[] = [];
    for (const c of claims.values()) {
      const k = `${c.item.siteId}:${c.item.code}`;
      if (first.has(k) || owned.has(k)) collisions.push(c);
      else first.set(k, c);
    }
    const claimed = [...first.values()].sort((a, b) => a.item.siteId - b.item.siteId || cmp(a.item.code, b.item.code));
    for (const c of claimed) for (const i of c.indexes) codes[i] = c.item.code;
    const later = new Set(collisions.flatMap((c) => c.indexes));

    const written = await writeStatement(this.db, items, codes, later, claimed, [...touches.values()]);

    const updates: CacheUpdate[] = [];
    const opened: Array<{ item: HitWrite; code: string }> = [];
    for (const c of claimed) {
      if (written.has(`${c.item.siteId}:${c.code}`)) updates.push(cacheEntry(c, c.code));
      else collisions.push(c); // the database knew the code as someone else's
    }
    for (const t of touches.values()) updates.push([t.key, { ...t.known, touchedAt: t.ts.getTime() }]);
    for (const [k, v] of updates) this.cache.set(k, v);

    const results: Array<HitWriteResult | Error> = codes.map((code) => ({ code }));
    if (collisions.length) {
      const indexes = collisions.flatMap((c) => c.indexes);
      try {
        const done = await this.db.transaction().execute((trx) => writeCollisions(trx, items, codes, collisions));
        for (const [k, v] of done) this.cache.set(k, v);
        for (const i of indexes) results[i] = { code: codes[i]! };
      } catch (err) {
        for (const i of indexes) results[i] = err as Error;
      }
    }
    return results;
  }
}

/**
 * The sent code is another visitor's. The same browser may have collided before (its later hits
 * still carry the old code until it reads our answer): reuse that session, else open one under a
 * fresh code that remembers the one the browser sent.
 */
async function writeCollisions(trx: Executor, items: HitWrite[], codes: string[], collisions: Claim[]): Promise<CacheUpdate[]> {
  const fresh: Claim[] = [];
  const done: CacheUpdate[] = [];
  for (const c of collisions) {
    const earlier = await trx
      .selectFrom('sessions')
      .select('code')
      .where('site_id', '=', c.item.siteId)
      .where('client_code', '=', c.item.code)
      .where('visitor_id', '=', c.item.visitorId)
      .executeTakeFirst();
    const code = earlier?.code ?? makeCode();
    for (const i of c.indexes) codes[i] = code;
    if (!earlier) fresh.push({ ...c, code, clientCode: c.item.code });
    done.push(cacheEntry(c, code));
  }
  const mine = new Set(collisions.flatMap((c) => c.indexes));
  const others = new Set(Array.from(items.keys()).filter((i) => !mine.has(i)));
  const written = await writeStatement(trx, items, codes, others, fresh, []);
  // A fresh 30-bit code taken in the meantime: vanishingly rare, and the browser simply retries.
  if (fresh.some((c) => !written.has(`${c.item.siteId}:${c.code}`))) throw new Error('a replacement visit code was taken; retry');
  return done;
}

const cacheEntry = (c: Claim, code: string): CacheUpdate => [
  SessionCache.key(c.item.siteId, c.item.code, c.item.visitorId),
  { visitorId: c.item.visitorId, code, touchedAt: c.item.ts.getTime() },
];

const ROW_EXTRA = [['visitor_id', 'text'], ['claimed', 'boolean']] as const satisfies readonly Column[];

/**
 * A table a batch appends rows to: the head of its CTE, up to the rows, and the columns each row
 * travels with (the table's, then those the claim check reads). Built once, not per batch.
 */
const appendTo = (name: string, table: string, columns: readonly Column[]) => ({
  head: sql.raw(`${name} as (insert into ${table} (${names(columns)}) select ${columns.map(([n]) => `r.${n}`).join(', ')} from `),
  columns: [...columns, ...ROW_EXTRA],
});
const PAGEVIEWS = appendTo('pv', 'pageviews', PAGEVIEW_COLUMNS);
const CLICKS = appendTo('ck', 'chat_clicks', CLICK_COLUMNS);
const EVENTS = appendTo('ev', 'events', EVENT_COLUMNS);

/**
 * The batch's one statement. Rows of claimed sessions go in only where the upsert wrote the
 * session for that visitor; rows of `skip` items are left for the collision pass. Returns the
 * "site:code" keys of the claimed sessions that were written.
 */
async function writeStatement(
  db: Executor,
  items: HitWrite[],
  codes: string[],
  skip: ReadonlySet<number>,
  claimed: Claim[],
  touches: Touch[],
): Promise<Set<string>> {
  const isClaimed = new Set(claimed.flatMap((c) => c.indexes));
  const pageviews: unknown[][] = [];
  const clicks: unknown[][] = [];
  const events: unknown[][] = [];
  for (let i = 0; i < items.length; i++) {
    if (skip.has(i)) continue;
    const it = items[i]!;
    const tail = [it.visitorId, isClaimed.has(i)];
    if (it.pageview) pageviews.push([it.siteId, it.ts, codes[i], it.pageview.url, it.pageview.path, it.pageview.title, ...tail]);
    if (it.click) {
      const c = it.click;
      clicks.push([it.siteId, it.ts, codes[i], c.messenger, c.target, c.url, c.path, c.title, ...tail]);
    }
    if (it.event) events.push([it.siteId, it.ts, codes[i], it.event.name, it.event.props, it.event.url, it.event.path, ...tail]);
  }

  const ctes: RawBuilder<unknown>[] = [];
  if (claimed.length) {
    ctes.push(sql`s as (
      insert into sessions ${jsonInsert(SESSION_COLUMNS, claimed.map((c) => sessionValues(c.item, c.code, c.clientCode)))}
      on conflict (site_id, code) do update set last_seen_at = greatest(sessions.last_seen_at, excluded.last_seen_at)
        where sessions.visitor_id = excluded.visitor_id
      returning site_id, code, visitor_id, started_at, traffic_type, source, medium, campaign, (xmax = 0) as inserted)`);
    // A visitor rarely opens two sessions in one batch; where none does, each session is its
    // visitor's only one and needs none of the ten ordered aggregates.
    const oneEach = new Set(claimed.map((c) => `${c.item.siteId}:${c.item.visitorId}`)).size === claimed.length;
    ctes.push(sql`v as (${oneEach ? VISITOR_OF_EACH_SESSION : VISITORS_OF_SESSIONS})`);
  }
  if (touches.length) {
    const list = touches.sort((a, b) => a.siteId - b.siteId || cmp(a.code, b.code));
    ctes.push(sql`t as (update sessions set last_seen_at = r.ts
      from ${jsonRows(TOUCH_COLUMNS, list.map((x) => [x.siteId, x.code, x.ts]))}
      where sessions.site_id = r.site_id and sessions.code = r.code and sessions.last_seen_at < r.ts)`);
  }
  // Without claims every row's session is known; with them, a claimed row needs its session written.
  const keep = claimed.length
    ? sql`not r.claimed or exists (select 1 from s where s.site_id = r.site_id and s.code = r.session_code and s.visitor_id = r.visitor_id)`
    : sql`true`;
  const append = (to: ReturnType<typeof appendTo>, rows: unknown[][]) => {
    if (rows.length) ctes.push(sql`${to.head}${jsonRows(to.columns, rows)} where ${keep})`);
  };
  append(PAGEVIEWS, pageviews);
  append(CLICKS, clicks);
  append(EVENTS, events);
  if (!ctes.length) return new Set();

  const tail = claimed.length ? sql`select site_id, code from s` : sql`select null as site_id, null as code where false`;
  const { rows } = await sql<{ site_id: number; code: string }>`with ${sql.join(ctes)} ${tail}`.execute(db);
  return new Set(rows.map((r) => `${r.site_id}:${r.code}`));
}

// A touch's columns in visitors (first_…, last_…), and where each comes from in a session.
const TOUCH = ['session', 'traffic_type', 'source', 'medium', 'campaign'];
const touchColumn = (col: string) => (col === 'session' ? 'code' : col);

// The visitors of the sessions the batch opened: first touch from the earliest, last touch from
// the latest non-direct one, the count added to what the visitor had. Where each visitor opened
// one session, its row is that session's: the aggregates' sorts cost PostgreSQL ~6 µs a hit in
// bench:ingest's mix (paired store-only runs, 82 → 76 µs).
const visitorsInsert = (select: string) =>
  sql.raw(`
  insert into visitors (site_id, id, first_seen_at, last_seen_at, first_session, first_traffic_type, first_source, first_medium,
    first_campaign, last_session, last_traffic_type, last_source, last_medium, last_campaign, sessions)
  ${select}
  order by site_id, visitor_id
  on conflict (site_id, id) do update set
    last_seen_at = greatest(visitors.last_seen_at, excluded.last_seen_at),
    sessions = visitors.sessions + excluded.sessions,
    ${TOUCH.map((col) => `last_${col} = case when excluded.last_session is null then visitors.last_${col} else excluded.last_${col} end`).join(', ')}`);
const VISITORS_OF_SESSIONS = visitorsInsert(`
  select site_id, visitor_id, min(started_at), max(started_at),
    ${TOUCH.map((col) => `(array_agg(${touchColumn(col)} order by started_at))[1]`).join(', ')},
    ${TOUCH.map((col) => `(array_agg(${touchColumn(col)} order by started_at desc) filter (where traffic_type <> 'direct'))[1]`).join(', ')},
    count(*)::int
  from s where inserted
  group by site_id, visitor_id`);
const VISITOR_OF_EACH_SESSION = visitorsInsert(`
  select site_id, visitor_id, started_at, started_at,
    ${TOUCH.map(touchColumn).join(', ')},
    ${TOUCH.map((col) => `case when traffic_type <> 'direct' then ${touchColumn(col)} end`).join(', ')},
    1
  from s where inserted`);

const TOUCH_COLUMNS = [['site_id', 'int'], ['code', 'text'], ['ts', 'timestamptz']] as const;

// The session columns after the six the writer supplies (site_id … client_code), which come
// from the enrichment, and what the NOT NULL ones among them are when it has nothing.
const ENRICHED = SESSION_COLUMNS.slice(6).map(([name]) => name as keyof SessionFields);
const DEFAULTS: Partial<SessionFields> = { traffic_type: 'direct', click_ids: {}, is_bot: false };

/**
 * A session's row in SESSION_COLUMNS order. Read column by column from the enrichment: merging
 * it into a new object first (a spread of thirty fields) cost ~10 µs a session, most of the
 * batch's preparation.
 */
function sessionValues(item: HitWrite, code: string, clientCode: string | null): unknown[] {
  const s: Partial<SessionFields> = item.session ?? {};
  const row: unknown[] = [item.siteId, code, item.visitorId, item.ts, item.ts, clientCode];
  for (const name of ENRICHED) row.push(s[name] ?? DEFAULTS[name] ?? null);
  return row;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
