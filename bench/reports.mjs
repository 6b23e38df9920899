// npm run bench:reports — the analysts' reports on a year of a busy site, over real HTTP.
// Generates 1M sessions, 3M pageviews, 300k chat clicks and 50k inquiries in a throwaway
// PostgreSQL database (BENCH_DATABASE_URL's server, default the local one) migrated by the
// project's migrator, starts `chatmark serve` on it, and times every report and the journal's
// first page for the last 90 and 365 days (a first call, which fills the rollups, then the median
// of BENCH_RUNS), then streams the CSV of all inquiries five times (the median time) while
// sampling the server's memory. The database is dropped at the end unless BENCH_KEEP=1 (or
// --keep); BENCH_REPORTS_REUSE=<url> times a kept one again without generating. Last line:
//   reports: slowest-90d <ms> ms (<name>) slowest-365d <ms> ms (<name>) csv <s> s rss+<MB> MB
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../packages/collector/src/db/open.ts';
import { migrate, readMigrations } from '../packages/collector/src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../packages/collector/src/paths.ts';
import { createSite } from '../packages/collector/src/admin/sites.ts';
import { createChannel } from '../packages/collector/src/admin/channels.ts';
import { generationSteps } from './reports-data.mjs';
import { startCollector, throwawayDatabase } from './lib/servers.mjs';

const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REUSE = process.env.BENCH_REPORTS_REUSE;
const KEEP = process.env.BENCH_KEEP === '1' || process.argv.includes('--keep');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TZ = 'Europe/Moscow';
const TARGET = { '90d': 300, '365d': 1000 };
const CSV_RUNS = 5;

async function generate(url) {
  const database = await openDatabase({ databaseUrl: url, dataDir: tmpdir(), poolSize: 2 });
  await migrate(database, readMigrations(MIGRATIONS_DIR));
  const site = await createSite(database.db, { name: 'Bench flowers', domains: ['shop.example.com'], timezone: TZ }, 'http://bench');
  const wa = await createChannel(database.db, { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: '79991234567' }, 'http://bench');
  const tg = await createChannel(database.db, { site: String(site.id), kind: 'telegram', provider: 'telegram', address: 'shop_bot' }, 'http://bench');
  await database.close();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  for (const [name, text] of generationSteps()) {
    const t = Date.now();
    const params = [site.id, wa.id, tg.id].slice(0, Math.max(...[...text.matchAll(/\$(\d)/g)].map((m) => +m[1]), 0));
    const r = await client.query(text, params);
    console.log(`  ${name.padEnd(16)} ${String(r.rowCount ?? '').padStart(9)} rows ${((Date.now() - t) / 1000).toFixed(1).padStart(6)} s`);
  }
  // What autovacuum would have done by the time anyone reads a year of data: statistics, and
  // the visibility map that lets index-only scans skip the heap.
  await client.query('vacuum analyze');
  await client.end();
  console.log(`generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return site.id;
}

/** The collector child of this process, for its memory: the only `cli.js serve` we started. */
function collectorPid() {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = +stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('cli.js')) return +d;
    } catch {
      // the process went away while we looked
    }
  }
  throw new Error('collector process not found');
}
const rssMb = (pid) => +/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1] / 1024;

/** YYYY-MM-DD of today in the site's zone, and n days before. */
function localDays(n) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
  const from = new Date(Date.parse(today) - (n - 1) * 86_400_000).toISOString().slice(0, 10);
  return `from=${from}&to=${today}`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const CASES = [
  ['journal first page', 'inquiries?limit=50'],
  ['new-repeat', 'reports/new-repeat'],
  ['match-quality', 'reports/match-quality'],
  ['pages', 'reports/pages'],
  ['channels', 'reports/channels'],
  ['channels source', 'reports/channels?level=source&traffic_type=paid_search'],
  ['channels campaign', 'reports/channels?level=campaign&traffic_type=paid_search&source=yandex'],
  ...['day', 'week', 'month', 'quarter'].flatMap((g) => [
    [`dynamics ${g}`, `reports/dynamics?granularity=${g}`],
    [`dynamics ${g} previous`, `reports/dynamics?granularity=${g}&compare=previous`],
    [`dynamics ${g} year`, `reports/dynamics?granularity=${g}&compare=year`],
    [`dynamics ${g} split+year`, `reports/dynamics?granularity=${g}&compare=year&split=traffic_type`],
  ]),
];
// Filters the rollups do not keep, so counted from the raw rows: sessions that viewed a page
// under a prefix, and the pages report by source. Timed and printed apart from the rest.
const FILTERED = [
  ['channels, page /roses', 'reports/channels?page=/roses'],
  ['channels, page /product/1', 'reports/channels?page=/product/1'],
  ['dynamics month, page /roses', 'reports/dynamics?granularity=month&page=/roses'],
  ['dynamics day split+year, page /roses', 'reports/dynamics?granularity=day&compare=year&split=traffic_type&page=/roses'],
  ['pages, source yandex', 'reports/pages?source=yandex'],
];

let db = null;
let url = REUSE;
if (!url) {
  db = await throwawayDatabase(PG_BASE);
  url = db.url;
}
let server = null;
try {
  const siteId = REUSE ? null : await generate(url);
  server = await startCollector({ DATABASE_URL: url, DATA_DIR: mkdtempSync(join(tmpdir(), 'cm-bench-')), RETENTION_DAYS: '400' });
  const auth = { authorization: `Bearer ${server.adminToken}` };
  const sites = await (await fetch(`${server.url}/v1/admin/sites`, { headers: auth })).json();
  const site = siteId ?? sites.sites[0].id;
  const key = await (await fetch(`${server.url}/v1/admin/sites/${site}/keys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"bench"}' })).json();
  const headers = { authorization: `Bearer ${key.api_key}` };

  const get = async (path) => {
    const t = performance.now();
    const res = await fetch(`${server.url}/v1/sites/${site}/${path}`, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
    return performance.now() - t;
  };

  const results = [];
  for (const [name, path, filtered] of [...CASES, ...FILTERED.map(([n, p]) => [n, p, true])]) {
    const row = { name, filtered };
    for (const [label, days] of [['90d', 90], ['365d', 365]]) {
      const full = `${path}${path.includes('?') ? '&' : '?'}${localDays(days)}`;
      row[`${label} first`] = await get(full);
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push(await get(full));
      row[label] = median(times);
    }
    results.push(row);
    console.log(`  ${name.padEnd(36)} 90d ${row['90d'].toFixed(0).padStart(5)} ms   365d ${row['365d'].toFixed(0).padStart(5)} ms   (first ${row['90d first'].toFixed(0)} / ${row['365d first'].toFixed(0)} ms)`);
  }

  // The CSV of every inquiry, read as it streams, with the server's resident memory sampled.
  const pid = collectorPid();
  // Peaks per run show whether memory follows the rows (it would climb run after run) or only
  // the garbage collector's headroom (the same peak each time).
  const before = rssMb(pid);
  const peaks = [];
  const csvTimes = [];
  let lines = 0;
  for (let i = 0; i < CSV_RUNS; i++) {
    let peak = rssMb(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
    const t = performance.now();
    const res = await fetch(`${server.url}/v1/sites/${site}/inquiries.csv`, { headers });
    lines = 0;
    for await (const chunk of res.body) for (const b of chunk) if (b === 10) lines++;
    csvTimes.push(performance.now() - t);
    clearInterval(sampler);
    peaks.push(peak);
  }
  const csv = median(csvTimes) / 1000;
  const peak = Math.max(...peaks);
  const rssGrowth = peak - before;

  console.log('\n| report | 90 days | 365 days | first call 365 d |\n|---|---|---|---|');
  for (const r of results) {
    const cell = (label) => `${r[label].toFixed(0)} ms${r[label] > TARGET[label] ? ' ✗' : ''}`;
    console.log(`| ${r.name} | ${cell('90d')} | ${cell('365d')} | ${r['365d first'].toFixed(0)} ms |`);
  }
  console.log(`| CSV, ${lines - 1} inquiries | ${csv.toFixed(2)} s | RSS ${before.toFixed(0)} MB, peaks ${peaks.map((p) => p.toFixed(0)).join(' / ')} MB | |`);
  const slowest = (rows, label) => rows.reduce((a, b) => (b[label] > a[label] ? b : a));
  const filtered = results.filter((r) => r.filtered);
  const f90 = slowest(filtered, '90d');
  const f365 = slowest(filtered, '365d');
  console.log(`\nfiltered from raw rows: slowest-90d ${f90['90d'].toFixed(0)} ms (${f90.name}) slowest-365d ${f365['365d'].toFixed(0)} ms (${f365.name})`);
  const s90 = slowest(results.filter((r) => !r.filtered), '90d');
  const s365 = slowest(results.filter((r) => !r.filtered), '365d');
  console.log(
    `\nreports: slowest-90d ${s90['90d'].toFixed(0)} ms (${s90.name}) slowest-365d ${s365['365d'].toFixed(0)} ms (${s365.name}) csv ${csv.toFixed(1)} s rss+${rssGrowth.toFixed(0)} MB`,
  );
} finally {
  await server?.stop();
  if (db && !KEEP) await db.drop();
  else if (db) console.log(`kept: BENCH_REPORTS_REUSE=${url}`);
}
