import { sql, type Kysely } from 'kysely';
import { makeCode } from '@chatmark/shared';
import type { DB, NewSession } from '../db/schema.ts';
import { SessionCache, type KnownSession } from './session-cache.ts';
import { unnestInsert, type Column } from './unnest.ts';

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
const VISITOR_COLUMNS = [
  ['site_id', 'int'], ['id', 'text'], ['first_seen_at', 'timestamptz'], ['last_seen_at', 'timestamptz'], ['first_session', 'text'],
  ['first_traffic_type', 'text'], ['first_source', 'text'], ['first_medium', 'text'], ['first_campaign', 'text'], ['last_session', 'text'],
  ['last_traffic_type', 'text'], ['last_source', 'text'], ['last_medium', 'text'], ['last_campaign', 'text'], ['sessions', 'int'],
] as const;

/**
 * Writes batches of hits. A batch whose sessions are all known is one INSERT statement (the
 * common case: a visit's later pageviews and clicks); otherwise one transaction upserts the
 * sessions first. Rows are sorted by key so concurrent batches lock in the same order.
 */
export class HitStore {
  readonly cache = new SessionCache();

  constructor(private readonly db: Kysely<DB>) {}

  /** Whether this process has already written the session of this browser and code. */
  known(siteId: number, code: string, visitorId: string): boolean {
    return this.cache.get(SessionCache.key(siteId, code, visitorId)) !== undefined;
  }

  async writeBatch(items: HitWrite[]): Promise<HitWriteResult[]> {
    const codes: string[] = new Array(items.length);
    const claims = new Map<string, Claim>();
    const touches = new Map<string, Touch>();
    items.forEach((item, i) => {
      const key = SessionCache.key(item.siteId, item.code, item.visitorId);
      const known = this.cache.get(key);
      if (!known) {
        const claim = claims.get(key);
        if (claim) claim.indexes.push(i);
        else claims.set(key, { item, indexes: [i] });
        return;
      }
      codes[i] = known.code;
      if (item.ts.getTime() - known.touchedAt > TOUCH_EVERY_MS) {
        touches.set(key, { siteId: item.siteId, code: known.code, ts: item.ts, key, known });
      }
    });

    const updates: CacheUpdate[] = [];
    if (!claims.size && !touches.size) {
      await insertRows(this.db, items, codes);
    } else {
      await this.db.transaction().execute(async (trx) => {
        if (claims.size) await this.claimSessions(trx, [...claims.values()], codes, updates);
        if (touches.size) await touchSessions(trx, [...touches.values()]);
        await insertRows(trx, items, codes);
      });
    }
    for (const t of touches.values()) updates.push([t.key, { ...t.known, touchedAt: t.ts.getTime() }]);
    // Only what is committed may be remembered.
    for (const [k, v] of updates) this.cache.set(k, v);
    return codes.map((code) => ({ code }));
  }

  private async claimSessions(trx: Executor, claims: Claim[], codes: string[], updates: CacheUpdate[]) {
    // One row per (site, code) in the upsert; a second visitor claiming the same code in this
    // batch is a collision like any other.
    const first = new Map<string, Claim>();
    const collisions: Claim[] = [];
    for (const c of claims) {
      const k = `${c.item.siteId}:${c.item.code}`;
      if (first.has(k)) collisions.push(c);
      else first.set(k, c);
    }
    const ordered = [...first.values()].sort((a, b) => a.item.siteId - b.item.siteId || cmp(a.item.code, b.item.code));
    const { rows } = await sql<{ site_id: number; code: string; inserted: boolean }>`
      insert into sessions ${unnestInsert(SESSION_COLUMNS, ordered.map((c) => sessionValues(c.item, c.item.code, null)))}
      on conflict (site_id, code) do update set last_seen_at = greatest(sessions.last_seen_at, excluded.last_seen_at)
        where sessions.visitor_id = excluded.visitor_id
      returning site_id, code, (xmax = 0) as inserted`.execute(trx);
    const written = new Map(rows.map((r) => [`${r.site_id}:${r.code}`, r.inserted]));

    const opened: Array<{ item: HitWrite; code: string }> = [];
    const settle = (c: Claim, code: string, inserted: boolean) => {
      for (const i of c.indexes) codes[i] = code;
      if (inserted) opened.push({ item: c.item, code });
      updates.push([SessionCache.key(c.item.siteId, c.item.code, c.item.visitorId), { visitorId: c.item.visitorId, code, touchedAt: c.item.ts.getTime() }]);
    };
    for (const c of ordered) {
      const inserted = written.get(`${c.item.siteId}:${c.item.code}`);
      if (inserted === undefined) collisions.push(c);
      else settle(c, c.item.code, inserted);
    }
    for (const c of collisions) {
      const { code, inserted } = await replacementSession(trx, c.item);
      settle(c, code, inserted);
    }
    if (opened.length) await upsertVisitors(trx, opened);
  }
}

/**
 * The sent code is another visitor's. The same browser may have collided before (its later
 * hits still carry the old code until it reads our answer): reuse that session, else open one
 * under a fresh code.
 */
async function replacementSession(trx: Executor, item: HitWrite): Promise<{ code: string; inserted: boolean }> {
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
    const { rows } = await sql<{ code: string }>`
      insert into sessions ${unnestInsert(SESSION_COLUMNS, [sessionValues(item, code, item.code)])}
      on conflict (site_id, code) do nothing returning code`.execute(trx);
    if (rows.length) return { code, inserted: true };
  }
}

async function touchSessions(trx: Executor, touches: Touch[]) {
  const list = touches.sort((a, b) => a.siteId - b.siteId || cmp(a.code, b.code));
  await sql`update sessions set last_seen_at = v.ts
    from unnest(${list.map((t) => t.siteId)}::int[], ${list.map((t) => t.code)}::text[], ${list.map((t) => t.ts)}::timestamptz[]) as v(site_id, code, ts)
    where sessions.site_id = v.site_id and sessions.code = v.code and sessions.last_seen_at < v.ts`.execute(trx);
}

/** Pageviews, chat clicks and events of a batch in one statement. */
async function insertRows(db: Executor, items: HitWrite[], codes: string[]) {
  const pageviews: unknown[][] = [];
  const clicks: unknown[][] = [];
  const events: unknown[][] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const code = codes[i]!;
    if (it.pageview) pageviews.push([it.siteId, it.ts, code, it.pageview.url, it.pageview.path, it.pageview.title]);
    if (it.click) {
      const c = it.click;
      clicks.push([it.siteId, it.ts, code, c.messenger, c.target, c.url, c.path, c.title]);
    }
    if (it.event) events.push([it.siteId, it.ts, code, it.event.name, JSON.stringify(it.event.props), it.event.url, it.event.path]);
  }
  const parts = [
    pageviews.length && sql`insert into pageviews ${unnestInsert(PAGEVIEW_COLUMNS, pageviews)}`,
    clicks.length && sql`insert into chat_clicks ${unnestInsert(CLICK_COLUMNS, clicks)}`,
    events.length && sql`insert into events ${unnestInsert(EVENT_COLUMNS, events)}`,
  ].filter((p) => p !== 0);
  if (!parts.length) return;
  // Data-modifying CTEs: one round trip, and one statement is its own transaction.
  const [last, ...before] = parts.reverse();
  const ctes = before.map((p, i) => sql`w${sql.raw(String(i))} as (${p})`);
  await (ctes.length ? sql`with ${sql.join(ctes)} ${last}` : last!).execute(db);
}

function sessionValues(item: HitWrite, code: string, clientCode: string | null): unknown[] {
  const s: Partial<SessionFields> = item.session ?? {};
  const row: Record<string, unknown> = {
    ...s,
    site_id: item.siteId,
    code,
    visitor_id: item.visitorId,
    started_at: item.ts,
    last_seen_at: item.ts,
    client_code: clientCode,
    traffic_type: s.traffic_type ?? 'direct',
    click_ids: JSON.stringify(s.click_ids ?? {}),
    is_bot: s.is_bot ?? false,
  };
  return SESSION_COLUMNS.map(([name]) => row[name]);
}

/** First touch on the visitor's first session; last touch on every later non-direct one. */
async function upsertVisitors(trx: Executor, sessions: Array<{ item: HitWrite; code: string }>) {
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
      const touched = [...list].reverse().find((s) => (s.item.session?.traffic_type ?? 'direct') !== 'direct');
      const f: Partial<SessionFields> = first.item.session ?? {};
      const l: Partial<SessionFields> = touched?.item.session ?? {};
      return [
        first.item.siteId, first.item.visitorId, first.item.ts, list[list.length - 1]!.item.ts, first.code,
        f.traffic_type ?? 'direct', f.source, f.medium, f.campaign,
        touched?.code, touched && l.traffic_type, touched && l.source, touched && l.medium, touched && l.campaign,
        list.length,
      ];
    })
    .sort((a, b) => (a[0] as number) - (b[0] as number) || cmp(a[1] as string, b[1] as string));
  const keep = (col: string) => sql.raw(`case when excluded.last_session is null then visitors.${col} else excluded.${col} end`);
  await sql`insert into visitors ${unnestInsert(VISITOR_COLUMNS, rows)}
    on conflict (site_id, id) do update set
      last_seen_at = greatest(visitors.last_seen_at, excluded.last_seen_at),
      sessions = visitors.sessions + excluded.sessions,
      last_session = ${keep('last_session')}, last_traffic_type = ${keep('last_traffic_type')}, last_source = ${keep('last_source')},
      last_medium = ${keep('last_medium')}, last_campaign = ${keep('last_campaign')}`.execute(trx);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
