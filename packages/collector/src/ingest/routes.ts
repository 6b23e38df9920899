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
    // The embedded database has one connection. On a pool one flush at a time is the default too:
    // a batch costs PostgreSQL ~0.4 ms of CPU whatever its size, and the collector a round trip,
    // so hits that gather behind a running flush are cheaper written together than in a second,
    // overlapping one (bench:ingest: batches of ~24 instead of ~14, +9% hits a second, PostgreSQL's
    // CPU a hit −30%). More can overlap where the database has cores to spare; connections are
    // left for the read side.
    concurrency: database.kind === 'pglite' ? 1 : Math.max(1, Math.min(config.ingestConcurrency, config.databasePoolSize - 2)),
    maxQueue: config.ingestMaxQueue,
  });
  app.addHook('onClose', () => writer.drain());
  await app.register(hitRoutes, { sites: new SiteDirectory(database.db), store, writer, rateLimit: config.hitRateLimit });
}
