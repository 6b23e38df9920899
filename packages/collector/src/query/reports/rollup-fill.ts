import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../../db/schema.ts';
import { daysBetween } from '../period.ts';

// pg_advisory_xact_lock(class, site): one filler per site at a time, so a day is never counted twice.
const FILL_LOCK_CLASS = 0x726f6c6c; // "roll"

/** Days filled per transaction: bounds the memory of the pageview grouping and keeps progress. */
const CHUNK_DAYS = 31;

/** Filling this many days at once changes the tables enough to vacuum and count them again. */
const VACUUM_AFTER_DAYS = 7;

/**
 * How far back a session's earlier view of a page, and the session of a view, are looked for
 * when a day is rolled up: the same reach the live reports give a visit (query/reports/scope.ts),
 * as visits end after 30 idle minutes.
 */
const VISIT_REACH = '7 days';

const ROLLUP_TABLES = ['rollup_days', 'rollup_sessions', 'rollup_clicks', 'rollup_page_clicks', 'rollup_page_sessions'];

/** The closed days of [first, last] that the site's rollups lack, in its current time zone. */
async function missingDays(db: Kysely<DB>, site: Site, first: string, last: string): Promise<string[]> {
  const { rows } = await sql<{ day: string }>`
    select to_char(d, 'YYYY-MM-DD') as day
    from generate_series(${first}::date, ${last}::date, interval '1 day') d
    where not exists (select 1 from rollup_days r where r.site_id = ${site.id} and r.timezone = ${site.timezone} and r.day = d::date)
    order by d`.execute(db);
  return rows.map((r) => r.day);
}

/** Missing days in runs of at most CHUNK_DAYS calendar days. */
function chunks(days: string[]): string[][] {
  const out: string[][] = [];
  for (const d of days) {
    const last = out[out.length - 1];
    if (last && daysBetween(last[0]!, d) < CHUNK_DAYS) last.push(d);
    else out.push([d]);
  }
  return out;
}

/**
 * Rolls up the closed local days [first, last] of the site that are not rolled up yet. Called
 * by the reports before they read the rollups; concurrent callers wait for each other and the
 * later one finds the days done. Each chunk commits on its own, so an interrupted fill keeps
 * what it finished. Returns how many days this call rolled up.
 */
export async function fillRollups(db: Kysely<DB>, site: Site, first: string, last: string): Promise<number> {
  const missing = await missingDays(db, site, first, last);
  let filled = 0;
  for (const chunk of chunks(missing)) {
    filled += await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${FILL_LOCK_CLASS}, ${site.id})`.execute(trx);
      const days = await missingDays(trx, site, chunk[0]!, chunk[chunk.length - 1]!);
      if (days.length) await fillDays(trx, site, days);
      return days.length;
    });
  }
  // Until autovacuum comes by, freshly filled tables have no statistics (the planner would take
  // a year of rollup rows for one) and no visibility map (index-only scans would visit every
  // row). Cheap: the tables are small and vacuum skips the pages it has seen. Not in a
  // transaction, which VACUUM refuses.
  if (missing.length >= VACUUM_AFTER_DAYS) await sql`vacuum (analyze) ${sql.join(ROLLUP_TABLES.map((t) => sql.table(t)))}`.execute(db);
  return filled;
}

async function fillDays(trx: Kysely<DB>, site: Site, days: string[]) {
  const tz = site.timezone;
  const id = site.id;
  const from = sql<Date>`(${days[0]}::date::timestamp at time zone ${tz})`;
  const to = sql<Date>`((${days[days.length - 1]}::date + 1)::timestamp at time zone ${tz})`;
  const wanted = sql<boolean>`= any(${days}::date[])`;
  const dayOf = (column: string) => sql<string>`(${sql.ref(column)} at time zone ${tz})::date`;

  // Days of a time zone the site no longer has are of no use to any report.
  for (const table of ROLLUP_TABLES) {
    await sql`delete from ${sql.table(table)} where site_id = ${id} and timezone <> ${tz}`.execute(trx);
  }
  await sql`
    insert into rollup_sessions (site_id, timezone, day, traffic_type, source, medium, campaign, sessions)
    select ${id}, ${tz}, ${dayOf('s.started_at')}, s.traffic_type, s.source, s.medium, s.campaign, count(*)::int
    from sessions s
    where s.site_id = ${id} and s.started_at >= ${from} and s.started_at < ${to} and not s.is_bot and ${dayOf('s.started_at')} ${wanted}
    group by 3, 4, 5, 6, 7`.execute(trx);
  // A click counts unless its session is a bot's; its visit is whatever session it names.
  await sql`
    insert into rollup_clicks (site_id, timezone, day, messenger, visit, traffic_type, source, medium, campaign, clicks)
    select ${id}, ${tz}, ${dayOf('k.ts')}, k.messenger, v.code is not null, v.traffic_type, v.source, v.medium, v.campaign, count(*)::int
    from chat_clicks k
    left join sessions v on v.site_id = k.site_id and v.code = k.session_code
    where k.site_id = ${id} and k.ts >= ${from} and k.ts < ${to} and v.is_bot is not true and ${dayOf('k.ts')} ${wanted}
    group by 3, 4, 5, 6, 7, 8, 9`.execute(trx);
  await sql`
    insert into rollup_page_clicks (site_id, timezone, day, messenger, page_path, page_title, traffic_type, clicks)
    select ${id}, ${tz}, ${dayOf('k.ts')}, k.messenger, k.page_path, max(k.page_title), v.traffic_type, count(*)::int
    from chat_clicks k
    left join sessions v on v.site_id = k.site_id and v.code = k.session_code
    where k.site_id = ${id} and k.ts >= ${from} and k.ts < ${to} and v.is_bot is not true and ${dayOf('k.ts')} ${wanted}
    group by 3, 4, 5, 7`.execute(trx);
  // Per session, page and day the last view; the previous such day's last view is the latest
  // view of the page before the day began.
  await sql`
    insert into rollup_page_sessions (site_id, timezone, day, path, traffic_type, seen_before, sessions)
    select ${id}, ${tz}, day, path, v.traffic_type, seen_before, count(*)::int
    from (
      select session_code, day, path, lag(last_ts) over (partition by session_code, path order by day) as seen_before
      from (
        select pv.session_code, pv.path, ${dayOf('pv.ts')} as day, max(pv.ts) as last_ts
        from pageviews pv
        where pv.site_id = ${id} and pv.ts >= ${from} - ${VISIT_REACH}::interval and pv.ts < ${to}
        group by 1, 2, 3
      ) per_day
    ) x
    left join (
      -- the visits these views can belong to, hashed: cheaper than looking up each of a month's
      -- quarter million (session, page, day) rows
      select s.code, s.traffic_type, s.is_bot from sessions s
      where s.site_id = ${id} and s.started_at >= ${from} - ${VISIT_REACH}::interval and s.started_at < ${to}
    ) v on v.code = x.session_code
    where day ${wanted} and v.is_bot is not true
    group by day, path, v.traffic_type, seen_before`.execute(trx);
  await sql`insert into rollup_days (site_id, timezone, day) select ${id}, ${tz}, d from unnest(${days}::date[]) d`.execute(trx);
}
