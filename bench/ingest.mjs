// npm run bench:ingest — hit ingestion throughput and latency, with a durability check.
// Drives POST /v1/hit with autocannon (50 connections, mixed realistic hits), then counts the
// rows in the database against the 2xx answers. Runs on PostgreSQL (BENCH_DATABASE_URL, default
// the local server) and on the embedded PGlite, and measures a bare Fastify 204 route as the
// yardstick, in slices that alternate with the collector's on PostgreSQL. Last line:
//   ingest: <req/s> req/s p99 <ms> ms | bare <req/s> req/s | ratio <r> | lost <n>
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { makeCode } from '../packages/shared/src/visit-code.ts';
import { ROOT, cpuMicrosEach, cpuSeconds, createSite, databaseCpuSeconds, startCollector, startScript, throwawayDatabase } from './lib/servers.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 50;
const SLICES = 3;
const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
];
const ADDRESSES = ['77.88.8.8', '8.8.8.8', '95.213.1.1', '185.71.76.1', '212.58.224.1', '91.198.174.192'];
const LANDINGS = [
  'https://shop.example.com/?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=7265',
  'https://shop.example.com/catalog/roses',
  'https://shop.example.com/?gclid=Cj0KCQ',
  'https://shop.example.com/delivery',
];
const REFERRERS = ['https://yandex.ru/', '', 'https://www.google.com/', 'https://vk.com/'];
const pick = (a) => a[Math.floor(Math.random() * a.length)];

/** 20% new sessions, 60% pageviews of known sessions, 20% chat clicks. */
function hitMaker(siteKey) {
  const sessions = [];
  return () => {
    const roll = Math.random();
    if (roll < 0.2 || sessions.length < 100) {
      const s = { v: randomBytes(12).toString('base64url'), c: makeCode(), l: pick(LANDINGS), r: pick(REFERRERS), ua: pick(AGENTS), ip: pick(ADDRESSES) };
      sessions.push(s);
      if (sessions.length > 5000) sessions.shift();
      return { s, body: { k: siteKey, t: 'pv', v: s.v, c: s.c, u: s.l, l: s.l, r: s.r, ti: 'Florista', sw: 1920, sh: 1080, dpr: 1, vw: 1280, vh: 720, la: 'ru-RU', tz: 'Europe/Moscow' } };
    }
    const s = pick(sessions);
    const page = `https://shop.example.com/p/${Math.floor(Math.random() * 200)}`;
    if (roll < 0.8) return { s, body: { k: siteKey, t: 'pv', v: s.v, c: s.c, u: page, l: s.l, r: s.r, ti: 'Page' } };
    return { s, body: { k: siteKey, t: 'click', v: s.v, c: s.c, u: page, ti: 'Page', m: 'wa', to: '79991234567' } };
  };
}

function load(url, makeHit, seconds) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/hit`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest(req) {
              const { s, body } = makeHit();
              req.headers = { 'content-type': 'text/plain', 'user-agent': s.ua, 'x-forwarded-for': s.ip };
              req.body = JSON.stringify(body);
              return req;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

/** One target's slices added up: requests over time, the worst slice's p99, the middle p50. */
const summary = (slices) => {
  const sum = (f) => slices.reduce((s, r) => s + f(r), 0);
  const p50s = slices.map((r) => r.latency.p50).sort((a, b) => a - b);
  return {
    rps: Math.round(sum((r) => r.requests.total) / sum((r) => r.duration)),
    p50: p50s[Math.floor((p50s.length - 1) / 2)],
    p99: Math.max(...slices.map((r) => r.latency.p99)),
    ok: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors + r.timeouts),
  };
};

/** The bench site's rows (the database also holds the demo site's). */
async function countRows(query, siteId) {
  const [pv, ck] = await Promise.all([
    query(`select count(*)::int as n from pageviews where site_id = ${Number(siteId)}`),
    query(`select count(*)::int as n from chat_clicks where site_id = ${Number(siteId)}`),
  ]);
  return pv + ck;
}

// autocannon runs in this process, on one thread: what it costs a request is the same for every
// target, and at the bare route's rate it fills a core, so that rate is the load generator's.
const loadCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * A target under load, a slice at a time: the caller alternates the bare route's slices with the
 * collector's, so that both see the host at the same speed. Run one after the other, 15 s each,
 * their ratio moved by ±0.05 with the host's drift in between. CPU counts only the slices' time.
 */
async function target(server, siteKey, cpuNow) {
  const makeHit = hitMaker(siteKey);
  const slices = [];
  const cpu = {};
  return {
    async slice(seconds) {
      const before = { ...(await cpuNow()), load: loadCpuSeconds() };
      slices.push(await load(server.url, makeHit, seconds));
      const after = { ...(await cpuNow()), load: loadCpuSeconds() };
      // null where /proc could not tell, for good
      for (const k of Object.keys(after)) cpu[k] = cpu[k] === null || before[k] === null || after[k] === null ? null : (cpu[k] ?? 0) + after[k] - before[k];
    },
    result() {
      const r = summary(slices);
      const each = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, cpuMicrosEach(0, v, r.ok)]));
      return { ...r, cpu: each };
    },
  };
}

async function runPostgresAndBare() {
  const db = await throwawayDatabase(PG_BASE);
  const server = await startCollector({ DATABASE_URL: db.url, HIT_RATE_LIMIT: '0', TRUST_PROXY: 'true', DATA_DIR: mkdtempSync(join(tmpdir(), 'cm-bench-')) });
  const bareServer = await startScript(join(ROOT, 'bench/bare-server.mjs'));
  try {
    const site = await createSite(server, 'Bench');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const collector = await target(server, site.key, async () => ({ collector: cpuSeconds(server.pid), database: await databaseCpuSeconds(client, db.name) }));
    const bare = await target(bareServer, 'bare', async () => ({ collector: cpuSeconds(bareServer.pid) }));
    for (let i = 0; i < SLICES; i++) {
      await bare.slice(SECONDS / SLICES);
      await collector.slice(SECONDS / SLICES);
    }
    await server.stop();
    const rows = await countRows(async (q) => (await client.query(q)).rows[0].n, site.id);
    await client.end();
    return { postgres: { ...collector.result(), rows }, bare: bare.result() };
  } finally {
    await Promise.all([server.stop(), bareServer.stop()]);
    await db.drop();
  }
}

async function runPGlite() {
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-pglite-'));
  const server = await startCollector({ DATA_DIR: dir, HIT_RATE_LIMIT: '0', TRUST_PROXY: 'true' });
  try {
    const site = await createSite(server, 'Bench');
    const collector = await target(server, site.key, async () => ({ collector: cpuSeconds(server.pid) }));
    await collector.slice(SECONDS);
    // Stopped gracefully: every acknowledged hit must be on disk when the database is reopened.
    await server.stop();
    const db = await PGlite.create({ dataDir: join(dir, 'pglite') });
    const rows = await countRows(async (q) => (await db.query(q)).rows[0].n, site.id);
    await db.close();
    return { ...collector.result(), rows };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lost = (r) => Math.max(0, r.ok - r.rows);
const describe = (name, r) =>
  `${name}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors}, rows ${r.rows ?? '-'}; ` +
  `CPU per hit: server ${r.cpu.collector ?? '?'} µs${r.cpu.database === undefined ? '' : `, PostgreSQL ${r.cpu.database ?? '?'} µs`}, load generator ${r.cpu.load} µs`;

console.log(`bench:ingest — ${CONNECTIONS} connections, ${SECONDS} s each (PostgreSQL and the bare route in ${SLICES} alternating slices), on ${new Date().toISOString()}`);
const { postgres, bare } = await runPostgresAndBare();
console.log(describe('bare fastify 204', bare));
console.log(describe('collector on PostgreSQL', postgres));
const pglite = await runPGlite();
console.log(describe('collector on PGlite', pglite));
console.log(`ingest-pglite: ${pglite.rps} req/s p99 ${pglite.p99} ms | lost ${lost(pglite)}`);
console.log(`ingest: ${postgres.rps} req/s p99 ${postgres.p99} ms | bare ${bare.rps} req/s | ratio ${(postgres.rps / bare.rps).toFixed(2)} | lost ${lost(postgres)}`);
