import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { createServerDatabase } from '../support/databases.ts';

// Only a PostgreSQL server keeps prepared statements; PGlite plans every statement.
describe.runIf(process.env.TEST_DATABASE_URL)('statement preparation on postgres', () => {
  let server: { url: string; drop(): Promise<void> };
  let database: Database;
  beforeAll(async () => {
    server = await createServerDatabase();
    // One connection: every statement below runs on it, and pg_prepared_statements is per connection.
    database = await openDatabase({ databaseUrl: server.url, dataDir: '/nonexistent', poolSize: 1 });
  });
  afterAll(async () => {
    await database.close();
    await server.drop();
  });

  it('prepares the hot paths once and plans analytics statements on every call', async () => {
    for (let i = 0; i < 6; i++) {
      await sql`select ${i}::int + 1 as hot`.execute(database.db);
      await sql`select ${i}::int + 2 as analytic`.execute(database.analytics);
    }
    const { rows } = await sql<{ statement: string; runs: number }>`
      select statement, generic_plans + custom_plans as runs from pg_prepared_statements`.execute(database.analytics);
    expect(rows).toEqual([{ statement: 'select $1::int + 1 as hot', runs: 6 }]);
  });
});
