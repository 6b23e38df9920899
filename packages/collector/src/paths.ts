import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up from this module. The same code runs from
 * src/ under vitest and from the esbuild bundle in dist/, at different depths.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'migrations')) && existsSync(join(dir, 'packages'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Chatmark installation (migrations/ and packages/)');
    dir = parent;
  }
}

export const ROOT = findRoot();
export const MIGRATIONS_DIR = join(ROOT, 'migrations');
export const SNIPPET_FILE = join(ROOT, 'packages/snippet/dist/chatmark.js');
