import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/open.ts';
import { GroupCommit } from './group-commit.ts';
import { HitStore, type HitWrite, type HitWriteResult } from './hit-store.ts';
import { hitRoutes } from './hit-route.ts';
import { SiteDirectory } from './site-directory.ts';

export type IngestConfig = Pick<Config, 'hitRateLimit' | 'ingestBatchRows' | 'ingestBatchMs' | 'ingestMaxQueue' | 'ingestConcurrency' | 'databasePoolSize'>;

/** The hit endpoint with its writer: one store and one group-commit queue per process. */
export async function ingestRoutes(app: FastifyInstance, opts: { database: Database; config: IngestConfig }) {
  const { database, config } = opts;
  const store = new HitStore(database.db);
  const writer = new GroupCommit<HitWrite, HitWriteResult>({
    flush: (items) => store.writeBatch(items),
    maxBatch: config.ingestBatchRows,
    maxWaitMs: config.ingestBatchMs,
    // The embedded database has one connection; on a pool, a few flushes overlap while leaving
    // connections for the read side.
    concurrency: database.kind === 'pglite' ? 1 : Math.max(1, Math.min(config.ingestConcurrency, config.databasePoolSize - 2)),
    maxQueue: config.ingestMaxQueue,
  });
  app.addHook('onClose', () => writer.drain());
  await app.register(hitRoutes, { sites: new SiteDirectory(database.db), store, writer, rateLimit: config.hitRateLimit });
}
