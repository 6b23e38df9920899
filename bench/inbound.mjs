// npm run bench:inbound — Meta-format webhooks at a steady 300 messages/s for 20 s on PostgreSQL.
// Every message comes from a new contact, most carrying the visit code of a real session (made
// through /v1/hit first), some without; 10% of deliveries are repeats of an earlier one, as
// platforms deliver at least once. Checks that each message became exactly one inquiry.
// Last line:
//   inbound: <msg/s> msg/s p50 <ms> ms p99 <ms> ms | stored <n>/<sent> | doubled <n>
import autocannon from 'autocannon';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { makeCode } from '../packages/shared/src/visit-code.ts';
import { createSite, startCollector, throwawayDatabase } from './lib/servers.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
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

const db = await throwawayDatabase(PG_BASE);
const server = await startCollector({ DATABASE_URL: db.url, HIT_RATE_LIMIT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'cm-bench-')) });
try {
  const site = await createSite(server, 'Bench');
  const channel = await admin(server, `/v1/admin/sites/${site.id}/channels`, { kind: 'whatsapp', provider: 'meta', address: '79991234567', secret: APP_SECRET });
  const codes = await makeSessions(server, site.key);

  const sent = [];
  const acked = new Set();
  let n = 0;
  const result = await autocannon({
    url: `${server.url}/v1/webhooks/meta/${channel.id}`,
    connections: 20,
    overallRate: RATE,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest(req, context) {
          let body;
          let n_;
          if (sent.length > 10 && Math.random() < 0.1) {
            const i = Math.floor(Math.random() * sent.length);
            body = sent[i];
            n_ = i + 1;
          } else {
            n++;
            body = metaBody(n, Math.random() < 0.8 ? codes[n % codes.length] : null);
            sent.push(body);
            n_ = n;
          }
          // Answers on a connection come in the order of its requests; autocannon may build the
          // next request before the last answer is in, so one slot per connection would mix them up.
          (context.pending ??= []).push(n_);
          req.headers = { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` };
          req.body = body;
          return req;
        },
        onResponse(status, _body, context) {
          const m = context.pending.shift();
          if (status === 200) acked.add(m);
        },
      },
    ],
  });
  await server.stop();

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
  console.log(`bench:inbound — ${RATE} msg/s target, ${SECONDS} s, 20 connections, ${SESSIONS} sessions to match, on ${new Date().toISOString()}`);
  console.log(`requests ${result.requests.total} (2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors + result.timeouts}); messages sent ${n}, acknowledged ${acked.size}, stored ${stored.size}, acknowledged but lost ${lost}; inquiries ${inquiries} (${coded} matched by code)`);
  console.log(`inbound: ${Math.round(result.requests.average)} msg/s p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms | stored ${inquiries}/${n} | doubled ${doubled}`);
  if (lost || doubled) process.exitCode = 1;
} finally {
  await server.stop();
  await db.drop();
}
