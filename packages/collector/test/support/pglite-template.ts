import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/open.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * A fresh PGlite spends ~5 s in initdb; copying a migrated data directory takes ~1 s. Built once
 * per run, copied by every test that wants an embedded database.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'chatmark-template-'));
  const database = await openDatabase({ dataDir: dir });
  await migrate(database, readMigrations(MIGRATIONS_DIR));
  await database.close();
  project.provide('pgliteTemplate', join(dir, 'pglite'));
  return () => rmSync(dir, { recursive: true, force: true });
}
