import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { HttpError } from '../app/errors.ts';

/**
 * A period as the API takes it: `from` and `to` are dates in the site's time zone (`to` is the
 * last day included) or instants (`to` excluded). A local time without an offset is read in the
 * site's time zone too, never in the database server's.
 */
export interface PeriodInput {
  from?: string | undefined;
  to?: string | undefined;
}

/** Instants for SQL, and the local calendar days they cover for bucketing and comparison. */
export interface Period {
  from: Date;
  to: Date;
  /** first local day, YYYY-MM-DD */
  fromDate: string;
  /** last local day included, YYYY-MM-DD */
  toDate: string;
}

/** Longer periods are refused: nobody reads them, and they are what could make a report slow. */
export const MAX_PERIOD_DAYS = 3 * 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

type Bound = { kind: 'date'; value: string } | { kind: 'instant'; value: string; local: boolean };

const bad = (message: string) => new HttpError(400, 'bad_request', message);

/** A real calendar day between 2000 and 2100: PostgreSQL would reject or wrap anything else. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function parseBound(name: string, value: string): Bound {
  const date = DATE.exec(value);
  if (date) {
    if (!isCalendarDate(+date[1]!, +date[2]!, +date[3]!)) throw bad(`${name} is not a date between 2000-01-01 and 2100-12-31: "${value}"`);
    return { kind: 'date', value };
  }
  const t = INSTANT.exec(value);
  if (t && isCalendarDate(+t[1]!, +t[2]!, +t[3]!) && +t[4]! < 24 && +t[5]! < 60 && +(t[6] ?? 0) < 60) {
    return { kind: 'instant', value: value.replace(' ', 'T'), local: !t[7] };
  }
  throw bad(`${name} must be a date (2026-01-31) or an ISO 8601 instant (2026-01-31T09:00:00Z); got "${value}"`);
}

function boundSql(b: Bound, tz: string, end: boolean): RawBuilder<Date> {
  if (b.kind === 'date') {
    // `to` as a date means through the end of that day: the next local midnight.
    const day = end ? sql`(${b.value}::date + 1)` : sql`${b.value}::date`;
    return sql<Date>`(${day}::timestamp at time zone ${tz})`;
  }
  return b.local ? sql<Date>`(${b.value}::timestamp at time zone ${tz})` : sql<Date>`${b.value}::timestamptz`;
}

/**
 * A report's period as instants in the site's time zone (by PostgreSQL's tz database, the one
 * the reports bucket with); without bounds, the `defaultDays` up to today.
 */
export async function resolvePeriod(db: Kysely<DB>, site: Site, input: PeriodInput, defaultDays: number): Promise<Period> {
  const from = input.from === undefined ? null : parseBound('from', input.from);
  const to = input.to === undefined ? null : parseBound('to', input.to);
  const tz = site.timezone;
  const toSql = to ? boundSql(to, tz, true) : sql<Date>`(((now() at time zone ${tz})::date + 1)::timestamp at time zone ${tz})`;
  const fromSql = from
    ? boundSql(from, tz, false)
    : sql<Date>`((((${toSql} - interval '1 microsecond') at time zone ${tz})::date - ${defaultDays - 1}::int)::timestamp at time zone ${tz})`;
  const { rows } = await sql<{ from: Date; to: Date; from_date: string; to_date: string }>`
    select p.f as from, p.t as to,
           to_char(p.f at time zone ${tz}, 'YYYY-MM-DD') as from_date,
           to_char((p.t - interval '1 microsecond') at time zone ${tz}, 'YYYY-MM-DD') as to_date
    from (select ${fromSql} as f, ${toSql} as t) p`.execute(db);
  const r = rows[0]!;
  const period: Period = { from: new Date(r.from), to: new Date(r.to), fromDate: r.from_date, toDate: r.to_date };
  checkPeriod(period.from, period.to, period.fromDate, period.toDate);
  return period;
}

/** The journal's bounds: either may be left open. */
export async function resolveBounds(db: Kysely<DB>, site: Site, input: PeriodInput): Promise<{ from: Date | null; to: Date | null }> {
  const from = input.from === undefined ? null : parseBound('from', input.from);
  const to = input.to === undefined ? null : parseBound('to', input.to);
  if (!from && !to) return { from: null, to: null };
  const tz = site.timezone;
  const { rows } = await sql<{ from: Date | null; to: Date | null; from_date: string | null; to_date: string | null }>`
    select p.f as from, p.t as to,
           to_char(p.f at time zone ${tz}, 'YYYY-MM-DD') as from_date,
           to_char((p.t - interval '1 microsecond') at time zone ${tz}, 'YYYY-MM-DD') as to_date
    from (select ${from ? boundSql(from, tz, false) : sql`null::timestamptz`} as f, ${to ? boundSql(to, tz, true) : sql`null::timestamptz`} as t) p`.execute(db);
  const r = rows[0]!;
  const bounds = { from: r.from && new Date(r.from), to: r.to && new Date(r.to) };
  if (bounds.from && bounds.to) checkPeriod(bounds.from, bounds.to, r.from_date!, r.to_date!);
  return bounds;
}

function checkPeriod(from: Date, to: Date, fromDate: string, toDate: string) {
  if (!(from < to)) throw bad('from must be before to');
  if (daysBetween(fromDate, toDate) + 1 > MAX_PERIOD_DAYS) throw bad(`the period is longer than ${MAX_PERIOD_DAYS} days: ask for three years at most`);
}

/** Calendar arithmetic on YYYY-MM-DD strings: time-zone free, as local dates are. */
export const dayNumber = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86_400_000;
export const dateOfDay = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
export const daysBetween = (a: string, b: string) => dayNumber(b) - dayNumber(a);
export const addDays = (d: string, n: number) => dateOfDay(dayNumber(d) + n);

/** The same day n months later, clipped to the month's end (2024-02-29 − 12 months = 2023-02-28). */
export function addMonths(d: string, n: number): string {
  const y = +d.slice(0, 4);
  const m = +d.slice(5, 7) - 1 + n;
  const first = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(+d.slice(8, 10), last));
  return first.toISOString().slice(0, 10);
}
