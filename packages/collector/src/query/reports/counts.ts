import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { and, needsVisit, prefixPattern, visitConditions } from '../journal-filters.ts';
import type { Granularity } from './buckets.ts';
import { coverage, liveOnly, type Coverage, type Span } from './coverage.ts';
import { count, scopedClicks, scopedPageviews, scopedSessions, type ReportScope } from './scope.ts';

/**
 * Sessions, chat clicks and page viewers of a period, counted from the rollups for its closed
 * days and from the raw rows for the rest, summed in one statement. Each part yields the same
 * columns; a rollup is skipped (the whole period counted live) when a filter asks for something
 * it does not keep.
 */

/** A visit column a report groups by; fixed names, never from a request. */
export type VisitColumn = 'traffic_type' | 'source' | 'campaign';

/** How the report counts a period: from the rollups where it can, unless a test asks for the raw rows alone. */
export const reportCoverage = (db: Kysely<DB>, scope: ReportScope, period: Span): Promise<Coverage> =>
  scope.rollups ? coverage(db, scope.site, period) : Promise.resolve(liveOnly(period));

export type BucketRow = { bucket: string | null; key: string | null; n: number };

const unionAll = (parts: RawBuilder<unknown>[]) => sql.join(parts.map((p) => sql`(${p})`), sql` union all `);

/** The rollup's day range condition for alias r. */
const rolledDays = (scope: ReportScope, days: NonNullable<Coverage['days']>) =>
  sql<boolean>`r.site_id = ${scope.site.id} and r.timezone = ${scope.site.timezone} and r.day between ${days.first}::date and ${days.last}::date`;

/**
 * Raw rows are put in quarter-hour bins before the time zone is applied (every offset in use is
 * a whole quarter hour), so only the bins' counts go through it; rollup days are local already.
 */
const liveBin = (column: string) => sql`date_bin('15 minutes', ${sql.ref(column)}, timestamptz '2000-01-01 00:00:00+00')`;

/** Sum of the parts per local bucket (or null without granularity) and key. */
function perBucket(db: Kysely<DB>, parts: RawBuilder<unknown>[], g: Granularity | null): Promise<BucketRow[]> {
  const bucket = g ? sql`to_char(date_trunc(${g}, x.lt), 'YYYY-MM-DD')` : sql`null::text`;
  return sql<BucketRow>`select ${bucket} as bucket, x.key, sum(x.n)::int as n from (${unionAll(parts)}) x group by 1, 2`
    .execute(db)
    .then((r) => r.rows);
}

const keyOf = (alias: 's' | 'r', key: VisitColumn | null) => (key ? sql`${sql.ref(`${alias}.${key}`)}` : sql`null::text`);

/** Human sessions started in the period, per bucket and visit column. */
export function sessionCounts(db: Kysely<DB>, scope: ReportScope, cov: Coverage, key: VisitColumn | null, g: Granularity | null): Promise<BucketRow[]> {
  // The rollup knows no pages: a page filter (sessions that viewed such a page) is counted live.
  const c = scope.filters.page ? liveOnly(scope.period) : cov;
  const tz = scope.site.timezone;
  const parts: RawBuilder<unknown>[] = c.live.map((span) => {
    const lt = g ? sql`(${liveBin('s.started_at')} at time zone ${tz})` : sql`null::timestamp`;
    return sql`${scopedSessions(db, scope, span).select([sql`${lt}`.as('lt'), sql`${keyOf('s', key)}`.as('key'), count().as('n')]).groupBy([sql`1`, sql`2`])}`;
  });
  if (c.days) {
    parts.push(sql`select ${g ? sql`r.day::timestamp` : sql`null::timestamp`} as lt, ${keyOf('r', key)} as key, sum(r.sessions) as n
      from rollup_sessions r where ${rolledDays(scope, c.days)} and ${and(visitConditions(scope.filters, 'r'))} group by 1, 2`);
  }
  return perBucket(db, parts, g);
}

/** The click filters over a rollup row: the visit's and the messenger. */
function rolledClickConditions(scope: ReportScope, withVisit: boolean) {
  const out = visitConditions(scope.filters, 'r');
  if (withVisit) out.push(sql<boolean>`r.visit`);
  if (scope.filters.channel) out.push(sql<boolean>`r.messenger = ${scope.filters.channel}`);
  return and(out);
}

/** Chat clicks in the period, per bucket and (when grouped by or filtered on it) their visit's column. */
export function clickCounts(db: Kysely<DB>, scope: ReportScope, cov: Coverage, key: VisitColumn | null, g: Granularity | null): Promise<BucketRow[]> {
  // The rollup knows no pages: a page filter is counted live.
  const c = scope.filters.page ? liveOnly(scope.period) : cov;
  const withVisit = key !== null || needsVisit(scope.filters);
  const tz = scope.site.timezone;
  const parts: RawBuilder<unknown>[] = c.live.map((span) => {
    const lt = g ? sql`(${liveBin('k.ts')} at time zone ${tz})` : sql`null::timestamp`;
    return sql`${scopedClicks(db, scope, { period: span, withVisit }).select([sql`${lt}`.as('lt'), sql`${keyOf('s', key)}`.as('key'), count().as('n')]).groupBy([sql`1`, sql`2`])}`;
  });
  if (c.days) {
    parts.push(sql`select ${g ? sql`r.day::timestamp` : sql`null::timestamp`} as lt, ${keyOf('r', key)} as key, sum(r.clicks) as n
      from rollup_clicks r where ${rolledDays(scope, c.days)} and ${rolledClickConditions(scope, withVisit)} group by 1, 2`);
  }
  return perBucket(db, parts, g);
}

/**
 * Whether the page rollups can answer: they keep the page's path and the visit's traffic type,
 * not its source, medium or campaign.
 */
const pageRollupsServe = (f: ReportScope['filters']) => !f.source && !f.medium && !f.campaign;

/** The traffic type filter over a page rollup row (null there: no visit, which the filter leaves out). */
const rolledTrafficType = (f: ReportScope['filters']) => (f.trafficType ? [sql<boolean>`r.traffic_type = ${f.trafficType}`] : []);

/**
 * Chat clicks in the period per page path, with the page's title (the greatest one seen). The
 * rollup keeps the page's path, not the full address: a URL filter is counted live.
 */
export async function clicksPerPage(db: Kysely<DB>, scope: ReportScope, cov: Coverage): Promise<Array<{ path: string; n: number; title: string | null }>> {
  const f = scope.filters;
  const c = !pageRollupsServe(f) || f.page?.by === 'url' ? liveOnly(scope.period) : cov;
  const parts: RawBuilder<unknown>[] = c.live.map(
    (span) => sql`${scopedClicks(db, scope, { period: span }).select(['k.page_path as path', count().as('n'), sql`max(k.page_title)`.as('title')]).groupBy('k.page_path')}`,
  );
  if (c.days) {
    const conds = rolledTrafficType(f);
    if (f.channel) conds.push(sql<boolean>`r.messenger = ${f.channel}`);
    if (f.page) conds.push(sql<boolean>`r.page_path like ${prefixPattern(f.page.prefix)}`);
    parts.push(sql`select r.page_path as path, sum(r.clicks) as n, max(r.page_title) as title
      from rollup_page_clicks r where ${rolledDays(scope, c.days)} and ${and(conds)} group by 1`);
  }
  const { rows } = await sql<{ path: string; n: number; title: string | null }>`
    select x.path, sum(x.n)::int as n, max(x.title) as title from (${unionAll(parts)}) x group by 1`.execute(db);
  return rows;
}

/**
 * Sessions that viewed each of these pages in the period. A session counts once however many
 * days it viewed the page on: each part counts the sessions that did not view the page earlier
 * in the period.
 */
export async function sessionsPerPage(db: Kysely<DB>, scope: ReportScope, cov: Coverage, paths: string[]): Promise<Array<{ path: string; n: number }>> {
  const c = pageRollupsServe(scope.filters) ? cov : liveOnly(scope.period);
  const start = scope.period.from;
  const parts: RawBuilder<unknown>[] = c.live.map((span: Span) => {
    // distinct first, then count: hashing (path, session) pairs beats count(distinct), which sorts
    const pairs = scopedPageviews(db, scope, span)
      .select(['pv.path', 'pv.session_code'])
      .distinct()
      // in the collation of the index on (site, path, ts), so that it serves the lookup
      .where(sql`pv.path collate "C"`, 'in', paths)
      // Looked up by session (a visit has a few views): the path is compared in the column's own
      // collation, which the path index (in "C") cannot serve, so it cannot read every earlier
      // view of the path for each row instead.
      .$if(span.from > start, (q) =>
        q.where(
          sql<boolean>`not exists (select 1 from pageviews e where e.site_id = pv.site_id and e.session_code = pv.session_code
            and e.ts >= ${start} and e.ts < ${span.from} and e.path = pv.path)`,
        ),
      );
    return sql`select x.path, count(*) as n from (${pairs}) x group by 1`;
  });
  if (c.days) {
    parts.push(sql`select r.path, sum(r.sessions) as n from rollup_page_sessions r
      where ${rolledDays(scope, c.days)} and r.path = any(${paths}::text[]) and (r.seen_before is null or r.seen_before < ${start})
        and ${and(rolledTrafficType(scope.filters))} group by 1`);
  }
  const { rows } = await sql<{ path: string; n: number }>`select x.path, sum(x.n)::int as n from (${unionAll(parts)}) x group by 1`.execute(db);
  return rows;
}
