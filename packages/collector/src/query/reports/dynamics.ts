import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { resolvePeriod, type Period } from '../period.ts';
import { bucketsOf, comparisonPeriod, nextBucket, type Comparison, type Granularity, GRANULARITIES } from './buckets.ts';
import { clickCounts, reportCoverage, sessionCounts, type BucketRow } from './counts.ts';
import { count, periodSchema, periodView, scopedInquiries, type ReportScope } from './scope.ts';

export const SPLITS = ['traffic_type'] as const;

interface Counts {
  sessions: number;
  chat_clicks: number;
  inquiries: number;
}

export interface Point extends Counts {
  bucket: string;
  comparison?: Counts & { bucket: string };
}

export interface DynamicsReport {
  period: ReturnType<typeof periodView>;
  comparison: ReturnType<typeof periodView> | null;
  granularity: Granularity;
  points: Point[];
  split?: Array<{ traffic_type: string | null; points: Point[] }>;
}

// with a granularity every row has its bucket
type Row = BucketRow & { bucket: string };

/**
 * Counts per local bucket (and per traffic type when split) of one period: sessions and chat
 * clicks from the rollups and the raw rows (counts.ts), inquiries from the raw rows. Inquiries
 * are first counted per quarter hour, which is plain arithmetic on the instant, and only those
 * few thousand counts go through the time zone: every offset in use is a whole quarter hour.
 */
async function countsPerBucket(db: Kysely<DB>, scope: ReportScope, period: Period, g: Granularity, split: boolean) {
  const tz = scope.site.timezone;
  const key = split ? 'traffic_type' : null;
  const cov = await reportCoverage(db, scope, period);
  // date_trunc over the local wall-clock time: a Moscow day starts at 21:00 UTC the day before.
  const inquiries = db
    .selectFrom(
      scopedInquiries(db, scope, period, split)
        .select([
          sql<Date>`date_bin('15 minutes', i.received_at, timestamptz '2000-01-01 00:00:00+00')`.as('b'),
          (split ? sql<string | null>`s.traffic_type` : sql<string | null>`null::text`).as('key'),
          count().as('n'),
        ])
        .groupBy([sql`1`, sql`2`])
        .as('x'),
    )
    .select([sql<string>`to_char(date_trunc(${g}, x.b at time zone ${tz}), 'YYYY-MM-DD')`.as('bucket'), 'x.key', sql<number>`sum(x.n)::int`.as('n')])
    .groupBy([sql`1`, sql`2`])
    .execute();
  const [sessions, clicks, inquiryRows] = await Promise.all([sessionCounts(db, scope, cov, key, g), clickCounts(db, scope, cov, key, g), inquiries]);
  return { sessions: sessions as Row[], chat_clicks: clicks as Row[], inquiries: inquiryRows };
}

type PerBucket = Awaited<ReturnType<typeof countsPerBucket>>;

function series(buckets: string[], data: PerBucket, key: string | null | undefined): Counts[] {
  const pick = (rows: Row[]) => {
    const m = new Map<string, number>();
    for (const r of rows) if (key === undefined || r.key === key) m.set(r.bucket, (m.get(r.bucket) ?? 0) + r.n);
    return m;
  };
  const s = pick(data.sessions);
  const k = pick(data.chat_clicks);
  const i = pick(data.inquiries);
  return buckets.map((b) => ({ sessions: s.get(b) ?? 0, chat_clicks: k.get(b) ?? 0, inquiries: i.get(b) ?? 0 }));
}

/**
 * Sessions, chat clicks and inquiries per day, week, month or quarter in the site's time zone,
 * optionally per traffic type, and optionally next to a comparison period: bucket i of the
 * period stands beside bucket i of the comparison, a bucket with nothing in it counts 0.
 */
export async function dynamicsReport(db: Kysely<DB>, scope: ReportScope, opts: { granularity: Granularity; compare?: Comparison | undefined; split?: 'traffic_type' | undefined }): Promise<DynamicsReport> {
  const g = opts.granularity;
  const split = opts.split === 'traffic_type';
  const p = scope.period;
  const buckets = bucketsOf(p.fromDate, p.toDate, g);
  let cmp: { period: Period; buckets: string[] } | null = null;
  if (opts.compare) {
    const c = comparisonPeriod(p.fromDate, p.toDate, g, opts.compare);
    const period = await resolvePeriod(db, scope.site, { from: c.fromDate, to: c.toDate }, 1);
    const list = bucketsOf(c.fromDate, c.toDate, g);
    // Buckets past the comparison's own end still get a label, so every point has a partner.
    while (list.length < buckets.length) list.push(nextBucket(list[list.length - 1]!, g));
    cmp = { period, buckets: list };
  }
  const [data, cmpData] = await Promise.all([
    countsPerBucket(db, scope, p, g, split),
    cmp ? countsPerBucket(db, scope, cmp.period, g, split) : Promise.resolve(null),
  ]);

  const points = (key: string | null | undefined): Point[] => {
    const main = series(buckets, data, key);
    const other = cmp && cmpData ? series(cmp.buckets, cmpData, key) : null;
    return buckets.map((bucket, n) => ({
      bucket,
      ...main[n]!,
      ...(other && cmp ? { comparison: { bucket: cmp.buckets[n]!, ...other[n]! } } : {}),
    }));
  };
  const report: DynamicsReport = {
    period: periodView(p, scope.site.timezone),
    comparison: cmp ? periodView(cmp.period, scope.site.timezone) : null,
    granularity: g,
    points: points(undefined),
  };
  if (split) {
    const keys = new Set<string | null>();
    for (const rows of [data.sessions, data.chat_clicks, data.inquiries, ...(cmpData ? [cmpData.sessions, cmpData.chat_clicks, cmpData.inquiries] : [])]) {
      for (const r of rows) keys.add(r.key);
    }
    report.split = [...keys]
      .map((k) => ({ traffic_type: k, points: points(k) }))
      .sort((a, b) => total(b.points) - total(a.points) || String(a.traffic_type).localeCompare(String(b.traffic_type)));
  }
  return report;
}

const total = (points: Point[]) => points.reduce((s, x) => s + x.sessions, 0);

const counts = { sessions: { type: 'integer' }, chat_clicks: { type: 'integer' }, inquiries: { type: 'integer' } } as const;
const point = {
  type: 'object',
  required: ['bucket', 'sessions', 'chat_clicks', 'inquiries'],
  properties: {
    bucket: { type: 'string', format: 'date', description: "first local day of the bucket (weeks start on Monday); the period's first bucket may start before it" },
    ...counts,
    comparison: {
      type: 'object',
      description: 'the bucket at the same position in the comparison period (present when compare is asked)',
      required: ['bucket', 'sessions', 'chat_clicks', 'inquiries'],
      properties: { bucket: { type: 'string', format: 'date' }, ...counts },
    },
  },
} as const;

export const dynamicsSchema = {
  type: 'object',
  required: ['period', 'comparison', 'granularity', 'points'],
  properties: {
    period: periodSchema,
    comparison: { anyOf: [periodSchema, { type: 'null' }] },
    granularity: { type: 'string', enum: [...GRANULARITIES] },
    points: { type: 'array', items: point },
    split: {
      type: 'array',
      description: 'per traffic type (when split=traffic_type); traffic_type null holds inquiries without a known visit',
      items: { type: 'object', required: ['traffic_type', 'points'], properties: { traffic_type: { type: ['string', 'null'] }, points: { type: 'array', items: point } } },
    },
  },
} as const;
