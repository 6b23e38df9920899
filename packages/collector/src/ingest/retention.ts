import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.ts';
import { runPeriodically } from '../app/periodic.ts';

const DAY_MS = 86_400_000;
// Only one process of a deployment needs to do the deleting.
const RETENTION_LOCK_KEY = 0x63686172; // "char"

export interface RetentionResult {
  pageviews: number;
  chat_clicks: number;
  events: number;
  sessions: number;
  visitors: number;
}

/**
 * Deletes visit data older than `days`. Sessions an inquiry points to stay, so the journal keeps
 * its source, page and device; their pageviews go, like everyone's.
 */
export async function runRetention(db: Kysely<DB>, days: number, now = new Date()): Promise<RetentionResult | null> {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${RETENTION_LOCK_KEY}) as locked`.execute(conn);
    if (!rows[0]?.locked) return null;
    try {
      const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
      const pageviews = n(await conn.deleteFrom('pageviews').where('ts', '<', cutoff).executeTakeFirst());
      const chat_clicks = n(await conn.deleteFrom('chat_clicks').where('ts', '<', cutoff).executeTakeFirst());
      const events = n(await conn.deleteFrom('events').where('ts', '<', cutoff).executeTakeFirst());
      const sessions = n(
        await conn
          .deleteFrom('sessions')
          .where('last_seen_at', '<', cutoff)
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('inquiries').select(sql`1`.as('one')).whereRef('inquiries.site_id', '=', 'sessions.site_id').whereRef('inquiries.session_code', '=', 'sessions.code'))),
          )
          .executeTakeFirst(),
      );
      const visitors = n(await conn.deleteFrom('visitors').where('last_seen_at', '<', cutoff).executeTakeFirst());
      return { pageviews, chat_clicks, events, sessions, visitors };
    } finally {
      await sql`select pg_advisory_unlock(${RETENTION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Runs retention a minute after start and then daily; returns the stopper. */
export function scheduleRetention(db: Kysely<DB>, days: number, log: FastifyBaseLogger): () => void {
  const run = () =>
    runRetention(db, days).then(
      (r) => r && log.info({ retention: r, days }, 'retention: old visit data deleted'),
      (err) => log.warn({ err }, 'retention failed; will retry tomorrow'),
    );
  return runPeriodically(run, 60_000, DAY_MS);
}
