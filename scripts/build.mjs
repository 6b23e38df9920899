// Builds the collector (one ESM file for Node), the snippet (one small IIFE for browsers) and the
// dashboard (one script and one stylesheet the collector serves at /).
// `--if-missing` skips a target whose output is newer than every source it is made from,
// so `npm start` is quick after the first run and still picks up edits.
import { build } from 'esbuild';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifMissing = process.argv.includes('--if-missing');

const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const stale = (out, srcDirs) => {
  try {
    const built = statSync(out).mtimeMs;
    return srcDirs.some((d) => newest(join(root, d)) > built);
  } catch {
    return true;
  }
};

const collectorPkg = JSON.parse(readFileSync(join(root, 'packages/collector/package.json'), 'utf8'));
const targets = [
  {
    name: 'collector',
    sources: ['packages/collector/src', 'packages/shared/src'],
    options: {
      entryPoints: [join(root, 'packages/collector/src/cli.ts')],
      outfile: join(root, 'packages/collector/dist/cli.js'),
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      // Dependencies load from node_modules; only our own workspace code is bundled.
      external: Object.keys(collectorPkg.dependencies).filter((d) => !d.startsWith('@chatmark/')),
    },
  },
  {
    name: 'snippet',
    sources: ['packages/snippet/src', 'packages/shared/src'],
    options: {
      entryPoints: [join(root, 'packages/snippet/src/index.ts')],
      outfile: join(root, 'packages/snippet/dist/chatmark.js'),
      platform: 'browser',
      format: 'iife',
      // Optional chaining and ?? stay as written (lowering them costs ~40 B gzip): Chrome 80,
      // Safari 13.1, Firefox 74, all from 2020.
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      // Not the repository's tsconfig: its strict mode would add a "use strict" directive, 13
      // bytes the snippet has no use for (it is strict-safe either way).
      tsconfigRaw: {},
    },
  },
  {
    name: 'dashboard',
    sources: ['packages/collector/src/dashboard/client', 'packages/shared/src'],
    // The stylesheet the script imports comes out beside it as app.css.
    output: join(root, 'packages/collector/dist/dashboard/app.js'),
    options: {
      entryPoints: { app: join(root, 'packages/collector/src/dashboard/client/main.tsx') },
      outdir: join(root, 'packages/collector/dist/dashboard'),
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      minify: true,
      legalComments: 'none',
    },
  },
];

for (const t of targets) {
  const output = t.output ?? t.options.outfile;
  if (ifMissing && !stale(output, t.sources)) continue;
  await build({ bundle: true, logLevel: 'warning', ...t.options });
  console.log(`built ${t.name}: ${output.slice(root.length + 1)} (${statSync(output).size} bytes)`);
}
