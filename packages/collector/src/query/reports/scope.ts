import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../../db/schema.ts';
import { clickConditions, inquiryConditions, needsContact, needsVisit, parseFilters, sessionConditions, type FilterQuery, type Filters } from '../journal-filters.ts';
import { resolvePeriod, type Period } from '../period.ts';
import type { Span } from './coverage.ts';

/** A report's period when none is asked for: the last 30 days, today included. */
export const DEFAULT_REPORT_DAYS = 30;

export interface ReportScope {
  site: Site;
  filters: Filters;
  period: Period;
  /** whether closed days are read from the rollups (always, but for tests comparing them with the raw rows) */
  rollups: boolean;
}

export async function reportScope(db: Kysely<DB>, site: Site, q: FilterQuery, opts: { rollups?: boolean } = {}): Promise<ReportScope> {
  const filters = parseFilters(q);
  const period = await resolvePeriod(db, site, q, DEFAULT_REPORT_DAYS);
  return { site, filters, period, rollups: opts.rollups ?? true };
}

/** The period as the reports print it: local days and the instants they stand for. */
export const periodView = (p: Period, timezone: string) => ({
  from: p.fromDate,
  to: p.toDate,
  starts_at: p.from.toISOString(),
  ends_at: p.to.toISOString(),
  timezone,
});

export const periodSchema = {
  type: 'object',
  required: ['from', 'to', 'starts_at', 'ends_at', 'timezone'],
  properties: {
    from: { type: 'string', format: 'date', description: 'first local day' },
    to: { type: 'string', format: 'date', description: 'last local day included' },
    starts_at: { type: 'string', format: 'date-time' },
    ends_at: { type: 'string', format: 'date-time', description: 'excluded' },
    timezone: { type: 'string', description: "the site's time zone the days are in" },
  },
} as const;

/** A count over a total, 0 when there is nothing to divide (a chart wants a number). */
export const share = (n: number, total: number) => (total ? Math.round((n / total) * 10_000) / 10_000 : 0);
/** A rate that has no meaning without a denominator: null then. */
export const rate = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : null);

/** Bots are recorded but never counted: a chat click of a bot session is no interest of an analyst. */
const notBotSession = (alias: 'i' | 'k' | 'pv') =>
  sql<boolean>`not exists (select 1 from sessions b where b.site_id = ${sql.ref(`${alias}.site_id`)} and b.code = ${sql.ref(`${alias}.session_code`)} and b.is_bot)`;

/**
 * Inquiries received in the period, filtered, with their channel `ch`, leaving out those whose
 * visit was a bot's. With `withVisit` (or a visit filter) joined to their visit `s` (left: an
 * inquiry without a visit counts), which the planner looks up by code in the index that holds
 * the attribution, in parallel (a year of inquiries: 50,000 lookups in about 120 ms; a lateral
 * subquery with LIMIT took three times that). Without, bots are left out through the small
 * index of bot sessions, which is cheaper than looking up every inquiry's visit.
 */
export function scopedInquiries(db: Kysely<DB>, scope: ReportScope, period: Period = scope.period, withVisit = false) {
  const f = scope.filters;
  const visit = withVisit || needsVisit(f);
  return db
    .selectFrom('inquiries as i')
    .innerJoin('channels as ch', (j) => j.onRef('ch.site_id', '=', 'i.site_id').onRef('ch.id', '=', 'i.channel_id'))
    .$if(visit, (q) =>
      q.leftJoin('sessions as s', (j) => j.onRef('s.site_id', '=', 'i.site_id').onRef('s.code', '=', 'i.session_code')).where(sql<boolean>`s.is_bot is not true`),
    )
    .$if(!visit, (q) => q.where(notBotSession('i')))
    .$if(needsContact(f), (q) => q.innerJoin('contacts as c', (j) => j.onRef('c.site_id', '=', 'i.site_id').onRef('c.id', '=', 'i.contact_id')))
    .where('i.site_id', '=', scope.site.id)
    .where('i.received_at', '>=', period.from)
    .where('i.received_at', '<', period.to)
    .where(inquiryConditions(f));
}

/** Human sessions started in the period (or a span of it) that pass the visit filters. */
export function scopedSessions(db: Kysely<DB>, scope: ReportScope, period: Span = scope.period) {
  return db
    .selectFrom('sessions as s')
    .where('s.site_id', '=', scope.site.id)
    .where('s.started_at', '>=', period.from)
    .where('s.started_at', '<', period.to)
    .where('s.is_bot', '=', false)
    .where(sessionConditions(scope.filters, period.from));
}

/** How long before the period a visit may have started and still have clicks in it: a visit ends after 30 idle minutes. */
const VISIT_REACH = '7 days';

/**
 * The human visits that chat clicks of the period can belong to, for a hash join: tens of
 * thousands of clicks looked up one by one cost more than reading the period's visits from the
 * index that holds their attribution.
 */
function recentVisits(db: Kysely<DB>, scope: ReportScope, period: Span) {
  return db
    .selectFrom('sessions as v')
    .select(['v.code', 'v.traffic_type', 'v.source', 'v.medium', 'v.campaign', 'v.is_bot'])
    .where('v.site_id', '=', scope.site.id)
    .where('v.started_at', '>=', sql<Date>`${period.from}::timestamptz - ${VISIT_REACH}::interval`)
    .where('v.started_at', '<', period.to)
    .where('v.is_bot', '=', false)
    .as('s');
}

/**
 * Chat clicks in the period. Joined to their session `s` only when a filter or the grouping
 * needs the visit; otherwise bots are left out through the small index of bot sessions.
 */
export function scopedClicks(db: Kysely<DB>, scope: ReportScope, opts: { period?: Span; withVisit?: boolean } = {}) {
  const period = opts.period ?? scope.period;
  const withVisit = opts.withVisit || needsVisit(scope.filters);
  return db
    .selectFrom('chat_clicks as k')
    .$if(withVisit, (q) => q.innerJoin(recentVisits(db, scope, period), (j) => j.onRef('s.code', '=', 'k.session_code')))
    .$if(!withVisit, (q) => q.where(notBotSession('k')))
    .where('k.site_id', '=', scope.site.id)
    .where('k.ts', '>=', period.from)
    .where('k.ts', '<', period.to)
    .where(clickConditions(scope.filters));
}

/** Pageviews in the period (or a span of it) by human sessions (joined to `s` when the visit filters need it). */
export function scopedPageviews(db: Kysely<DB>, scope: ReportScope, span: Span = scope.period) {
  const withVisit = needsVisit(scope.filters);
  return db
    .selectFrom('pageviews as pv')
    .$if(withVisit, (q) =>
      q
        .innerJoin('sessions as s', (j) => j.onRef('s.site_id', '=', 'pv.site_id').onRef('s.code', '=', 'pv.session_code'))
        .where(sql<boolean>`s.is_bot = false`)
        .where(sessionConditions({ ...scope.filters, page: undefined }, span.from)),
    )
    .$if(!withVisit, (q) => q.where(notBotSession('pv')))
    .where('pv.site_id', '=', scope.site.id)
    .where('pv.ts', '>=', span.from)
    .where('pv.ts', '<', span.to);
}

export const count = () => sql<number>`count(*)::int`;
