import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../../db/schema.ts';
import { fillRollups } from './rollup-fill.ts';

/** A stretch of time the reports count from the raw rows. */
export interface Span {
  from: Date;
  to: Date;
}

/**
 * How a period is counted: its whole local days that have closed from the rollups (filled
 * first if missing), the rest (today, a part-day at either end of a period given as instants)
 * live from the raw rows.
 */
export interface Coverage {
  /** first and last local day read from the rollups, or null when none is */
  days: { first: string; last: string } | null;
  live: Span[];
}

export const liveOnly = (span: Span): Coverage => ({ days: null, live: [{ from: span.from, to: span.to }] });

/**
 * A day is closed an hour after it ended: a hit is stamped when it arrives, and the hour leaves
 * room for batches still queued at midnight and for collectors whose clocks run a little ahead.
 */
const SETTLE = '1 hour';

/** The site's last closed local day, as SQL. */
export const lastClosedDay = (timezone: string) => sql<string>`(((now() - ${SETTLE}::interval) at time zone ${timezone})::date - 1)`;

export async function coverage(db: Kysely<DB>, site: Site, period: Span): Promise<Coverage> {
  const tz = site.timezone;
  const { rows } = await sql<{ first: string; last: string; starts: Date; ends: Date }>`
    select to_char(fd, 'YYYY-MM-DD') as first, to_char(ld, 'YYYY-MM-DD') as last,
           (fd::timestamp at time zone ${tz}) as starts, ((ld + 1)::timestamp at time zone ${tz}) as ends
    from (
      select case when f = (df::timestamp at time zone ${tz}) then df else df + 1 end as fd,
             least(case when t = ((dt + 1)::timestamp at time zone ${tz}) then dt else dt - 1 end,
                   ${lastClosedDay(tz)}) as ld
      from (
        select f, t, (f at time zone ${tz})::date as df, ((t - interval '1 microsecond') at time zone ${tz})::date as dt
        from (select ${period.from}::timestamptz as f, ${period.to}::timestamptz as t) p
      ) q
    ) r
    where fd <= ld`.execute(db);
  const r = rows[0];
  if (!r) return liveOnly(period);
  await fillRollups(db, site, r.first, r.last);
  const starts = new Date(r.starts);
  const ends = new Date(r.ends);
  const live: Span[] = [];
  if (period.from < starts) live.push({ from: period.from, to: starts });
  if (ends < period.to) live.push({ from: ends, to: period.to });
  return { days: { first: r.first, last: r.last }, live };
}
