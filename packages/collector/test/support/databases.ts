import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseKind } from '../../src/db/open.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/paths.ts';

/**
 * The integration suite runs once per database: always on the embedded PGlite, and on the
 * PostgreSQL server of TEST_DATABASE_URL when it is set, each test file in a database it creates
 * and drops.
 */
export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: Database;
  /** connection settings a child process would use to reach the same database */
  env: { DATABASE_URL?: string; DATA_DIR: string };
  dispose(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chatmark-test-'));
  if (kind === 'pglite' && opts.migrate !== false) copyPGliteTemplate(dataDir);
  let url: string | undefined;
  let dropDatabase = async () => {};
  if (kind === 'postgres') {
    ({ url, drop: dropDatabase } = await createServerDatabase());
  }
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 10, lockOwner: { role: 'server' } });
  if (opts.migrate !== false) await migrate(database, readMigrations(MIGRATIONS_DIR));
  return {
    database,
    env: url ? { DATABASE_URL: url, DATA_DIR: dataDir } : { DATA_DIR: dataDir },
    async dispose() {
      await database.close();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the TEST_DATABASE_URL server; dropped (with its connections) by drop(). */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `chatmark_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function tempDir(prefix = 'chatmark-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Gives dataDir a migrated embedded database, copied from the one built in global setup. */
export function copyPGliteTemplate(dataDir: string): void {
  cpSync(inject('pgliteTemplate'), join(dataDir, 'pglite'), { recursive: true });
}
