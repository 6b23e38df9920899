import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrate, MigrationError, readMigrations } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open.ts';
import { MIGRATIONS_DIR } from '../../src/paths.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';

const files = readMigrations(MIGRATIONS_DIR);

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('applies every file once, records checksums, and applies nothing the second time', async () => {
    t = await createTestDatabase(kind, { migrate: false });
    const first = await migrate(t.database, files);
    expect(first).toEqual(files.map((f) => f.name));
    expect(await migrate(t.database, files)).toEqual([]);
    const rows = await t.database.db.selectFrom('schema_migrations').select(['name', 'checksum']).orderBy('name').execute();
    expect(rows).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })));
  });

  it('refuses to go on when an applied file was changed, naming the file', async () => {
    t = await createTestDatabase(kind);
    const tampered = files.map((f, i) => (i === 0 ? { ...f, sql: f.sql + '\n-- edited', checksum: 'x'.repeat(64) } : f));
    await expect(migrate(t.database, tampered)).rejects.toThrow(MigrationError);
    await expect(migrate(t.database, tampered)).rejects.toThrow(files[0]!.name);
  });

  it('rolls back a failing migration whole and records nothing for it', async () => {
    t = await createTestDatabase(kind);
    const bad = { name: '9999_broken.sql', sql: 'create table half_done (x int);\nselect * from no_such_table;', checksum: 'b'.repeat(64) };
    await expect(migrate(t.database, [...files, bad])).rejects.toThrow(/9999_broken\.sql/);
    const tables = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_name = 'half_done'`.execute(t.database.db);
    expect(tables.rows[0]!.n).toBe(0);
    const recorded = await t.database.db.selectFrom('schema_migrations').select('name').where('name', '=', bad.name).execute();
    expect(recorded).toEqual([]);
  });

  it('applies each file once when two migrators start together', async () => {
    t = await createTestDatabase(kind, { migrate: false });
    // On PostgreSQL the second migrator is a second pool, as a second process would be.
    const other = kind === 'postgres' ? await openDatabase({ databaseUrl: t.env.DATABASE_URL, dataDir: t.env.DATA_DIR }) : t.database;
    try {
      const [a, b] = await Promise.all([migrate(t.database, files), migrate(other, files)]);
      expect([...a, ...b].sort()).toEqual(files.map((f) => f.name));
    } finally {
      if (other !== t.database) await other.close();
    }
  });

  it('leaves the tables written on the hit path without foreign keys', async () => {
    t = await createTestDatabase(kind);
    // Each would cost a lookup and a row lock per written row (migration 0006).
    const rows = await sql<{ table: string }>`
      select c.conrelid::regclass::text as table from pg_constraint c
      where c.contype = 'f' and c.conrelid::regclass::text in ('sessions', 'visitors', 'pageviews', 'chat_clicks', 'events')`.execute(t.database.db);
    expect(rows.rows).toEqual([]);
    const others = await sql<{ n: number }>`select count(*)::int as n from pg_constraint where contype = 'f'`.execute(t.database.db);
    expect(others.rows[0]!.n).toBeGreaterThan(0);
  });

  it('puts site_id first in every primary key and unique index of a tenant table', async () => {
    t = await createTestDatabase(kind);
    const rows = await sql<{ table: string; index: string; first: string }>`
      select t.relname as table, i.relname as index, a.attname as first
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where n.nspname = current_schema() and (x.indisunique or x.indisprimary)
        and t.relname not in ('sites', 'schema_migrations')`.execute(t.database.db);
    expect(rows.rows.length).toBeGreaterThan(8);
    for (const r of rows.rows) expect({ index: r.index, first: r.first }).toEqual({ index: r.index, first: 'site_id' });
  });
});
