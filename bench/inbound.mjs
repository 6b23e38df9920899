// npm run bench:inbound — Meta-format webhooks at a steady 300 messages/s for 20 s on PostgreSQL.
// Every message comes from a new contact, most carrying the visit code of a real session (made
// through /v1/hit first), some without; 10% of deliveries are repeats of an earlier one, as
// platforms deliver at least once. Checks that each message became exactly one inquiry.
// Last line:
//   inbound: <msg/s> msg/s p50 <ms> ms p99 <ms> ms | stored <n>/<sent> | doubled <n>
import { Agent, request } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { makeCode } from '../packages/shared/src/visit-code.ts';
import { cpuMicrosEach, cpuSeconds, createSite, databaseCpuSeconds, startCollector, throwawayDatabase } from './lib/servers.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const APP_SECRET = 'bench-meta-app-secret';
const SESSIONS = 3000;

const admin = (server, path, body) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => {
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  });

/** Visits that the messages can point back to. */
async function makeSessions(server, siteKey) {
  const codes = [];
  for (let i = 0; i < SESSIONS; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        const c = makeCode();
        const res = await fetch(`${server.url}/v1/hit`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ k: siteKey, t: 'pv', v: randomBytes(12).toString('base64url'), c, u: 'https://shop.example.com/?utm_source=yandex&utm_medium=cpc' }),
        });
        if (res.ok) codes.push((await res.json()).c ?? c);
      }),
    );
  }
  return codes;
}

function metaBody(n, code) {
  const phone = String(79000000000 + n);
  const text = code ? `Здравствуйте! Хочу заказать.\n\nНомер обращения: ${code}` : 'Здравствуйте, сколько стоит доставка?';
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '79991234567', phone_number_id: '1' },
      contacts: [{ profile: { name: `Клиент ${n}` }, wa_id: phone, user_id: `RU.${1e12 + n}` }],
      messages: [{ from: phone, from_user_id: `RU.${1e12 + n}`, id: `wamid.bench.${n}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    } }] }],
  });
}

/**
 * Deliveries at a steady RATE for SECONDS, open loop: each is sent at its own moment whether or
 * not earlier ones were answered, as a platform's webhooks arrive (autocannon's rate limit sends
 * each second's quota in a burst at the start of the second). A delivery's latency runs from the
 * moment it was due, so a load generator falling behind shows in the figures rather than hiding.
 */
function steadyLoad(url, next, onAnswer, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = RATE * seconds;
  const latencies = [];
  let ok = 0, other = 0, errors = 0, done = 0, due = 0;
  const t0 = performance.now() + 50;
  return new Promise((resolve) => {
    const finish = () => {
      if (++done < total) return;
      clearInterval(timer);
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
      // Achieved rate: every delivery answered, over the time from the first due to the last answer.
      resolve({ total, ok, other, errors, p50: at(0.5), p99: at(0.99), rate: total / ((performance.now() - t0) / 1000) });
    };
    const send = (dueAt) => {
      const d = next();
      const req = request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(d.body).digest('hex')}` },
      }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - dueAt);
          if (res.statusCode === 200) ok++;
          else other++;
          onAnswer(d, res.statusCode);
          finish();
        });
      });
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(d.body);
    };
    const timer = setInterval(() => {
      const now = performance.now();
      while (due < total && t0 + (due * 1000) / RATE <= now) send(t0 + (due++ * 1000) / RATE);
    }, 1);
  });
}

const db = await throwawayDatabase(PG_BASE);
const server = await startCollector({ DATABASE_URL: db.url, HIT_RATE_LIMIT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'cm-bench-')) });
try {
  const site = await createSite(server, 'Bench');
  const channel = await admin(server, `/v1/admin/sites/${site.id}/channels`, { kind: 'whatsapp', provider: 'meta', address: '79991234567', secret: APP_SECRET });
  const codes = await makeSessions(server, site.key);

  const watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  const before = { collector: cpuSeconds(server.pid), database: await databaseCpuSeconds(watcher, db.name) };
  const sent = [];
  const acked = new Set();
  let n = 0;
  /** The next delivery: a new message, or (one in ten) one already sent, as platforms deliver at least once. */
  const next = () => {
    if (sent.length > 10 && Math.random() < 0.1) {
      const i = Math.floor(Math.random() * sent.length);
      return { n: i + 1, body: sent[i] };
    }
    n++;
    const body = metaBody(n, Math.random() < 0.8 ? codes[n % codes.length] : null);
    sent.push(body);
    return { n, body };
  };
  const url = `${server.url}/v1/webhooks/meta/${channel.id}`;
  const onAnswer = (d, status) => status === 200 && acked.add(d.n);
  // Warm-up, stored and checked like the rest but not timed: the pool's new connections, the
  // server's first plans of each statement and the JIT make a cold second unlike all the others.
  await steadyLoad(url, next, onAnswer, WARMUP_SECONDS);
  const result = await steadyLoad(url, next, onAnswer, SECONDS);
  const after = { collector: cpuSeconds(server.pid), database: await databaseCpuSeconds(watcher, db.name) };
  await watcher.end();
  await server.stop();
  const perMessage = (k) => cpuMicrosEach(before[k], after[k], result.total + RATE * WARMUP_SECONDS) ?? '?';

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const rows = async (text, values) => (await client.query(text, values)).rows;
  const [{ inquiries, coded }] = await rows(
    "select count(*)::int as inquiries, (count(*) filter (where match_method = 'code'))::int as coded from inquiries where channel_id = $1",
    [channel.id],
  );
  const stored = new Set((await rows('select provider_message_id as id from messages where channel_id = $1', [channel.id])).map((r) => Number(r.id.slice('wamid.bench.'.length))));
  // Each message comes from its own contact: more than one inquiry for a contact is a doubled one.
  const [{ doubled }] = await rows('select count(*)::int as doubled from (select contact_id from inquiries where channel_id = $1 group by 1 having count(*) > 1) as d', [channel.id]);
  await client.end();

  // Every acknowledged message must be stored; one in flight when the run stopped may be stored
  // without its answer having come back, so stored can exceed acknowledged.
  const lost = [...acked].filter((m) => !stored.has(m)).length;
  console.log(`bench:inbound — ${RATE} msg/s target, ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, steady (open loop), ${SESSIONS} sessions to match, on ${new Date().toISOString()}`);
  console.log(`deliveries ${result.total} (2xx ${result.ok}, other ${result.other}, errors ${result.errors}); messages sent ${n}, acknowledged ${acked.size}, stored ${stored.size}, acknowledged but lost ${lost}; inquiries ${inquiries} (${coded} matched by code); CPU per delivery: server ${perMessage('collector')} µs, PostgreSQL ${perMessage('database')} µs`);
  console.log(`inbound: ${Math.round(result.rate)} msg/s p50 ${result.p50} ms p99 ${result.p99} ms | stored ${inquiries}/${n} | doubled ${doubled}`);
  if (lost || doubled) process.exitCode = 1;
} finally {
  await server.stop();
  await db.drop();
}
