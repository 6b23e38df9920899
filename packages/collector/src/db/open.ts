import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseConfig {
  /** PostgreSQL connection string; when absent the embedded database under dataDir is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Who holds the embedded database: written into its lock so other processes can find the server. */
  lockOwner?: { role: 'server' | 'cli'; url?: string };
}

export interface Database {
  /** For the hot paths (hits, webhooks, admin): on PostgreSQL, each statement text is prepared once per connection. */
  db: Kysely<DB>;
  /**
   * The same database for the reports, the journal, the rollups and retention: statements of many
   * shapes, each run now and then, whose best plan depends on the period and filters given. They
   * are planned on every call: after five runs PostgreSQL would switch a prepared statement to a
   * generic plan that cannot see those values, and a page-filtered report for a year then ran
   * six times slower than on its first five calls (bench:reports data, 0.6 s → 4 s).
   */
  analytics: Kysely<DB>;
  kind: DatabaseKind;
  /** true when the database answers a trivial query within the timeout */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export class DatabaseOpenError extends Error {}

// int8 (counts, ids) as numbers on both dialects: every id we issue fits in 2^53, and one type
// for both keeps the difference inside this folder.
const INT8 = 20;
const NUMERIC = 1700;

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.poolSize ?? 10) : openPGlite(config);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server emits 'error'; without a listener that kills the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseOpenError(`cannot connect to DATABASE_URL (${redact(url)}): ${(err as Error).message}`);
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  // Shares the pool; never destroyed itself (that would end the pool a second time).
  const analytics = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return wrap(db, analytics, 'postgres', async () => db.destroy());
}

// Distinct statement texts kept prepared; the app has a few hundred shapes (filters, list
// lengths), so the cap only guards the server's memory against something unforeseen.
const MAX_PREPARED = 1000;

/**
 * Runs parameterized statements as named prepared statements, so each is parsed and planned once
 * per connection instead of on every call: the ingest batches and the ten statements of an
 * inbound message are a handful of texts run hundreds or thousands of times a second, and
 * planning them each time cost PostgreSQL more than executing them.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name && names.size < MAX_PREPARED) {
      name = 'cm_' + createHash('sha1').update(text).digest('hex').slice(0, 20);
      names.set(text, name);
    }
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      const query = (text: string, values: unknown[]) => {
        const name = values.length ? nameOf(text) : undefined;
        return name ? client.query({ name, text, values }) : client.query(text, values);
      };
      // Kysely's client type overloads query() for cursors, which are never used here.
      return { query, release: () => client.release() } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

async function openPGlite(config: DatabaseConfig): Promise<Database> {
  const dir = join(config.dataDir, 'pglite');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DatabaseOpenError(`DATA_DIR ${config.dataDir} is not writable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let lock: DataDirLock;
  try {
    lock = acquireDataDirLock(config.dataDir, config.lockOwner ?? { role: 'cli' });
  } catch (err) {
    throw new DatabaseOpenError((err as Error).message);
  }
  // Loaded on demand: a PostgreSQL deployment never pays for the WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  let pglite;
  try {
    pglite = await PGlite.create({
      dataDir: dir,
      parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
    });
  } catch (err) {
    lock.release();
    throw new DatabaseOpenError(`cannot open the embedded database in ${dir}: ${(err as Error).message}`);
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  // PGlite plans every statement anyway: one instance serves both.
  return wrap(db, db, 'pglite', async () => {
    await db.destroy();
    lock.release();
  });
}

function wrap(db: Kysely<DB>, analytics: Kysely<DB>, kind: DatabaseKind, close: () => Promise<void>): Database {
  let closed = false;
  return {
    db,
    analytics,
    kind,
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const query = sql`select 1 as ok`.execute(db).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'unparsable URL';
  }
}
