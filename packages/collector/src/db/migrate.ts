import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from './open.ts';

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

const FILE_NAME = /^\d{4}_[a-z0-9_-]+\.sql$/;
// Any constant works; it only has to be the same in every Chatmark process.
const ADVISORY_LOCK_KEY = 0x63686174; // "chat"

export function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((name) => FILE_NAME.test(name))
    .sort()
    .map((name) => {
      // Line endings are normalised so a checkout with CRLF does not look like a tampered file.
      const text = readFileSync(join(dir, name), 'utf8').replace(/\r\n/g, '\n');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/**
 * Applies pending migrations, each in its own transaction, under a session-level advisory lock
 * so that two processes starting at once on one PostgreSQL apply each file once.
 * Returns the names applied now.
 */
export async function migrate(database: Database, files: MigrationFile[]): Promise<string[]> {
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${ADVISORY_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const applied = await conn.selectFrom('schema_migrations').select(['name', 'checksum']).orderBy('name').execute();
      const byName = new Map(files.map((f) => [f.name, f]));
      for (const row of applied) {
        const file = byName.get(row.name);
        if (!file) {
          throw new MigrationError(`migration ${row.name} is applied in the database but missing from migrations/: is this an older version of Chatmark?`);
        }
        if (file.checksum !== row.checksum) {
          throw new MigrationError(`migration ${row.name} was changed after it was applied; restore the original file and add a new migration instead`);
        }
      }
      const done = new Set(applied.map((r) => r.name));
      const names: string[] = [];
      for (const file of files) {
        if (done.has(file.name)) continue;
        await sql`begin`.execute(conn);
        try {
          await sql.raw(file.sql).execute(conn);
          await conn.insertInto('schema_migrations').values({ name: file.name, checksum: file.checksum }).execute();
          await sql`commit`.execute(conn);
        } catch (err) {
          await sql`rollback`.execute(conn).catch(() => {});
          throw new MigrationError(`migration ${file.name} failed: ${(err as Error).message}`);
        }
        names.push(file.name);
      }
      return names;
    } finally {
      await sql`select pg_advisory_unlock(${ADVISORY_LOCK_KEY})`.execute(conn).catch(() => {});
    }
  });
}
