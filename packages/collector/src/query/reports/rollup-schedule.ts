import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../../db/schema.ts';
import { fillRollups } from './rollup-fill.ts';
import { lastClosedDay } from './coverage.ts';
import { runPeriodically } from '../../app/periodic.ts';

const HOUR_MS = 3_600_000;

/**
 * Rolls up every site's closed days since its first visit that are not rolled up yet. The
 * reports fill what they lack on first read, but a year of a busy site takes tens of seconds:
 * done here in the background, the first look at a long period is as quick as every later one.
 * Returns the days filled per site id.
 */
export async function fillClosedDays(db: Kysely<DB>): Promise<Map<number, number>> {
  const sites = await db.selectFrom('sites').selectAll().orderBy('id').execute();
  const filled = new Map<number, number>();
  for (const site of sites) {
    const { rows } = await sql<{ first: string | null; last: string }>`
      select to_char((min(started_at) at time zone ${site.timezone})::date, 'YYYY-MM-DD') as first,
             to_char(${lastClosedDay(site.timezone)}, 'YYYY-MM-DD') as last
      from sessions where site_id = ${site.id}`.execute(db);
    const span = rows[0];
    if (!span?.first || span.first > span.last) continue;
    const days = await fillRollups(db, site, span.first, span.last);
    if (days) filled.set(site.id, days);
  }
  return filled;
}

/** Fills closed days shortly after start and then every hour (a new day closes each day); returns the stopper. */
export function scheduleRollups(db: Kysely<DB>, log: FastifyBaseLogger): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const filled = await fillClosedDays(db);
      if (filled.size) log.info({ days: Object.fromEntries(filled) }, 'reports: closed days rolled up');
    } catch (err) {
      log.warn({ err }, 'rolling up closed days failed; the reports fill what they need, and this retries in an hour');
    } finally {
      running = false;
    }
  };
  return runPeriodically(run, 10_000, HOUR_MS);
}
