import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app/build-app.ts';
import { createSite } from '../../src/admin/sites.ts';
import { runRetention } from '../../src/ingest/retention.ts';
import { HitStore, type HitWrite, type SessionFields } from '../../src/ingest/hit-store.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { testConfig } from '../support/config.ts';
import { CHROME_WIN, IPHONE, newVisitor, pageview } from '../support/hits.ts';

describe.each(DATABASE_KINDS)('ingest on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  let shop: { id: number; key: string };
  let open: { id: number; key: string };
  const origin = 'https://shop.example.com';

  const send = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/hit`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin, 'user-agent': CHROME_WIN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const count = async (table: 'sessions' | 'pageviews' | 'chat_clicks' | 'events', siteId: number) =>
    Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig({ trustProxy: true }), database: t.database, adminToken: 'x'.repeat(20) });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    shop = await createSite(t.database.db, { name: 'Shop', domains: ['shop.example.com'], timezone: 'Europe/Moscow', settings: { language: 'ru', numbers: ['+7 999 123-45-67'] } }, 'https://cm');
    open = await createSite(t.database.db, { name: 'Open', domains: [], timezone: 'UTC' }, 'https://cm');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('records a new session with its source, device and place, and answers with the settings', async () => {
    const hit = pageview(shop.key, {
      u: 'https://shop.example.com/roses?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=123',
      ti: 'Розы',
      r: 'https://yandex.ru/',
      ch: { p: 'Windows', pv: '15.0.0' },
    });
    const res = await send(hit, { 'x-forwarded-for': '77.88.8.8' });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ s: { tpl: '{text}\n\nНомер обращения: {code}', wa: ['79991234567'], tg: [], bots: [] } });

    const s = await t.database.db.selectFrom('sessions').selectAll().where('site_id', '=', shop.id).where('code', '=', hit.c).executeTakeFirstOrThrow();
    expect(s).toMatchObject({
      visitor_id: hit.v,
      landing_url: hit.u,
      landing_title: 'Розы',
      referrer: 'https://yandex.ru/',
      traffic_type: 'paid_search',
      source: 'yandex',
      medium: 'cpc',
      campaign: 'spring',
      click_ids: { yclid: '123' },
      os: 'Windows',
      os_version: '11',
      browser: 'Chrome',
      device_type: 'desktop',
      screen_width: 1920,
      screen_height: 1080,
      language: 'ru-RU',
      timezone: 'Europe/Moscow',
      country: 'RU',
      is_bot: false,
      client_code: null,
    });
    // The address itself is stored nowhere.
    expect(JSON.stringify(s)).not.toContain('77.88.8.8');
    const pv = await t.database.db.selectFrom('pageviews').selectAll().where('site_id', '=', shop.id).where('session_code', '=', hit.c).execute();
    expect(pv).toMatchObject([{ url: hit.u, path: '/roses', title: 'Розы' }]);
  });

  it('adds pageviews, chat clicks and events to a known session without a second session', async () => {
    const first = pageview(shop.key, { u: 'https://shop.example.com/a' });
    expect((await send(first)).status).toBe(200);
    const again = { ...first, u: 'https://shop.example.com/b', ti: 'B' };
    expect((await send(again)).status).toBe(200);
    const click = { ...first, t: 'click', u: 'https://shop.example.com/b', m: 'wa', to: '79991234567' };
    expect((await send(click)).status).toBe(204);
    const event = { ...first, t: 'event', e: 'form_open', p: { plan: 'pro', n: 2 } };
    expect((await send(event)).status).toBe(204);

    const sessions = await t.database.db.selectFrom('sessions').select('code').where('site_id', '=', shop.id).where('visitor_id', '=', first.v).execute();
    expect(sessions).toEqual([{ code: first.c }]);
    const pv = await t.database.db.selectFrom('pageviews').select(['path', 'title']).where('session_code', '=', first.c).orderBy('id').execute();
    expect(pv).toEqual([
      { path: '/a', title: 'Shop' },
      { path: '/b', title: 'B' },
    ]);
    const clicks = await t.database.db.selectFrom('chat_clicks').selectAll().where('session_code', '=', first.c).execute();
    expect(clicks).toMatchObject([{ messenger: 'whatsapp', target: '79991234567', page_path: '/b' }]);
    const events = await t.database.db.selectFrom('events').selectAll().where('session_code', '=', first.c).execute();
    expect(events).toMatchObject([{ name: 'form_open', props: { plan: 'pro', n: 2 } }]);
  });

  it('answers a code that belongs to another visitor with a fresh one, and keeps to it', async () => {
    const a = pageview(shop.key);
    expect((await send(a)).status).toBe(200);
    const b = { ...pageview(shop.key), c: a.c };
    const res = await send(b);
    const answer = (await res.json()) as { c?: string };
    expect(answer.c).toMatch(/^[0-9A-Z]{8}$/);
    expect(answer.c).not.toBe(a.c);
    // The browser's click went out before it read the answer: it still lands on its own session.
    expect((await send({ ...b, t: 'click', m: 'tg', to: 'shop_bot' })).status).toBe(204);
    const again = (await (await send(b)).json()) as { c?: string };
    expect(again.c).toBe(answer.c);

    const sessions = await t.database.db.selectFrom('sessions').select(['code', 'visitor_id', 'client_code']).where('site_id', '=', shop.id).where('visitor_id', 'in', [a.v, b.v]).orderBy('started_at').execute();
    expect(sessions).toEqual([
      { code: a.c, visitor_id: a.v, client_code: null },
      { code: answer.c, visitor_id: b.v, client_code: a.c },
    ]);
    expect(await t.database.db.selectFrom('chat_clicks').select('session_code').where('target', '=', 'shop_bot').execute()).toEqual([{ session_code: answer.c }]);
  });

  it('keeps the first touch and the last non-direct touch per visitor', async () => {
    const v = newVisitor();
    const hits = [
      pageview(shop.key, { v, u: 'https://shop.example.com/', r: 'https://www.google.com/' }),
      pageview(shop.key, { v, u: 'https://shop.example.com/?utm_source=vk&utm_medium=cpc&utm_campaign=autumn' }),
      pageview(shop.key, { v, u: 'https://shop.example.com/contacts', r: '' }),
    ];
    for (const h of hits) expect((await send(h)).status).toBe(200);
    const row = await t.database.db.selectFrom('visitors').selectAll().where('site_id', '=', shop.id).where('id', '=', v).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      sessions: 3,
      first_session: hits[0]!.c,
      first_traffic_type: 'organic_search',
      first_source: 'google',
      last_session: hits[1]!.c,
      last_traffic_type: 'paid_social',
      last_source: 'vk',
      last_campaign: 'autumn',
    });
  });

  it('flags automation and records it anyway', async () => {
    const hit = pageview(shop.key);
    await send(hit, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36' });
    const s = await t.database.db.selectFrom('sessions').select(['is_bot']).where('code', '=', hit.c).where('site_id', '=', shop.id).executeTakeFirstOrThrow();
    expect(s.is_bot).toBe(true);
    const phone = pageview(shop.key);
    await send(phone, { 'user-agent': IPHONE });
    expect(await t.database.db.selectFrom('sessions').select(['os', 'device_type', 'is_bot']).where('code', '=', phone.c).where('site_id', '=', shop.id).executeTakeFirstOrThrow()).toEqual({
      os: 'iOS',
      device_type: 'mobile',
      is_bot: false,
    });
  });

  it.each([
    ['an unknown site key', (k: string) => ({ ...pageview(k), k: 'nope-nope' }), {}, 404, 'not_found'],
    ['an origin outside the domains', (k: string) => pageview(k), { origin: 'https://evil.example.net' }, 403, 'forbidden'],
    ['no origin or referer on a site with domains', (k: string) => pageview(k), { origin: '' }, 403, 'forbidden'],
    ['malformed JSON', () => '{"k":', {}, 400, 'bad_request'],
    ['a wrong type', (k: string) => ({ ...pageview(k), sw: '1920' }), {}, 400, 'bad_request'],
    ['a missing field', (k: string) => {
      const { v: _v, ...rest } = pageview(k);
      return rest;
    }, {}, 400, 'bad_request'],
    ['an invalid visit code', (k: string) => ({ ...pageview(k), c: 'HELLO123' }), {}, 400, 'bad_request'],
    ['a page that is not http(s)', (k: string) => ({ ...pageview(k), u: 'javascript:alert(1)' }), {}, 400, 'bad_request'],
    ['an unknown hit type', (k: string) => ({ ...pageview(k), t: 'purchase' }), {}, 400, 'bad_request'],
    ['a click without a messenger', (k: string) => ({ ...pageview(k), t: 'click' }), {}, 400, 'bad_request'],
    ['a body over 8 KB', (k: string) => ({ ...pageview(k), ti: 'x'.repeat(9000) }), {}, 413, 'payload_too_large'],
  ] as const)('refuses %s with a clear JSON error and stores nothing', async (_name, make, headers, status, error) => {
    const before = await Promise.all([count('sessions', shop.id), count('pageviews', shop.id)]);
    const body = make(shop.key);
    const h: Record<string, string> = { ...headers };
    const res = await fetch(`${base}/v1/hit`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME_WIN, ...(h.origin === '' ? {} : { origin: h.origin ?? origin }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error, message: expect.any(String) });
    expect(await Promise.all([count('sessions', shop.id), count('pageviews', shop.id)])).toEqual(before);
  });

  it('stores text that reached it as \\u escapes, surrogate pairs and control characters included', async () => {
    const hit = pageview(shop.key);
    // What an encoder that escapes everything outside ASCII sends: a tulip and a tab, escaped.
    const body = JSON.stringify({ ...hit, ti: 'TITLE' }).replace('TITLE', 'Tulip \\ud83c\\udf37\\tnow');
    expect((await send(body)).status).toBe(200);
    const pv = await t.database.db.selectFrom('pageviews').select('title').where('site_id', '=', shop.id).where('session_code', '=', hit.c).executeTakeFirstOrThrow();
    expect(pv.title).toBe('Tulip 🌷\tnow');
  });

  // A page's title or a script's event may hold a NUL or half a surrogate pair; PostgreSQL would
  // refuse the string, and with it every hit of the batch.
  it('stores a NUL or an unpaired surrogate as U+FFFD, and the rest of the batch with it', async () => {
    const hit = pageview(shop.key, { ti: 'a\u0000b \ud83c' });
    const event = { ...hit, t: 'event', e: 'order\u0000', p: { 'sum\u0000': 'x\udc00' } };
    const others = Array.from({ length: 5 }, (_, i) => ({ ...hit, ti: `page ${i}` }));
    const statuses = await Promise.all([hit, event, ...others].map(async (h) => (await send(h)).status));
    expect(statuses).toEqual([200, 204, 200, 200, 200, 200, 200]);
    const titles = await t.database.db.selectFrom('pageviews').select('title').where('site_id', '=', shop.id).where('session_code', '=', hit.c).orderBy('title').execute();
    expect(titles.map((r) => r.title)).toEqual(['a\ufffdb \ufffd', 'page 0', 'page 1', 'page 2', 'page 3', 'page 4']);
    const ev = await t.database.db.selectFrom('events').select(['name', 'props']).where('site_id', '=', shop.id).where('session_code', '=', hit.c).executeTakeFirstOrThrow();
    expect(ev).toEqual({ name: 'order\ufffd', props: { 'sum\ufffd': 'x\ufffd' } });
  });

  // The schema counts a title's length in characters, and an emoji is two UTF-16 units: cutting
  // the string by units would leave half of one, which PostgreSQL's jsonb refuses.
  it('stores a title of the most characters allowed whole, emoji at the end included', async () => {
    const title = 'a'.repeat(1023) + '🌷';
    const hit = pageview(shop.key, { ti: title, la: 'x'.repeat(63) + '🌷' });
    expect((await send(hit)).status).toBe(200);
    const pv = await t.database.db.selectFrom('pageviews').select('title').where('site_id', '=', shop.id).where('session_code', '=', hit.c).executeTakeFirstOrThrow();
    expect(pv.title).toBe(title);
    const s = await t.database.db.selectFrom('sessions').select(['landing_title', 'language']).where('site_id', '=', shop.id).where('code', '=', hit.c).executeTakeFirstOrThrow();
    expect(s).toEqual({ landing_title: title, language: hit.la });
  });

  it('accepts subdomains of a listed domain, application/json, and any origin for a site without domains', async () => {
    expect((await send(pageview(shop.key, { u: 'https://m.shop.example.com/' }), { origin: 'https://m.shop.example.com' })).status).toBe(200);
    expect((await send(pageview(shop.key), { 'content-type': 'application/json' })).status).toBe(200);
    expect((await send(pageview(open.key), { origin: 'https://anything.example' })).status).toBe(200);
  });

  it('stores every one of 1,000 concurrent hits', async () => {
    const before = await count('pageviews', open.id);
    const sessions = Array.from({ length: 100 }, () => pageview(open.key));
    const hits = Array.from({ length: 1000 }, (_, i) => ({ ...sessions[i % 100]!, u: `https://open.example/p/${i}` }));
    const statuses = await Promise.all(hits.map(async (h) => (await send(h)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
    expect((await count('pageviews', open.id)) - before).toBe(1000);
    const distinct = await t.database.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('site_id', '=', open.id).where('code', 'in', sessions.map((s) => s.c)).executeTakeFirstOrThrow();
    expect(Number(distinct.n)).toBe(100);
  });

  it('deletes old visit data but keeps the sessions inquiries point to', async () => {
    const old = new Date(Date.now() - 500 * 86_400_000);
    const db = t.database.db;
    for (const code of ['OLD00001', 'OLD00002']) {
      await db.insertInto('sessions').values({ site_id: open.id, code, visitor_id: 'old-visitor', started_at: old, last_seen_at: old, click_ids: '{}' }).execute();
      await db.insertInto('pageviews').values({ site_id: open.id, ts: old, session_code: code, url: 'https://x/', path: '/', title: null }).execute();
    }
    const contact = await db.insertInto('contacts').values({ site_id: open.id, messenger: 'whatsapp', external_id: '79990000000', first_seen_at: old, last_seen_at: old }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('inquiries')
      .values({ site_id: open.id, channel_id: 'c', contact_id: contact.id, received_at: old, last_message_at: old, type: 'new', match_method: 'code', session_code: 'OLD00002' })
      .execute();
    const recent = await count('pageviews', open.id);
    const result = await runRetention(db, 400);
    expect(result).toMatchObject({ pageviews: 2, sessions: 1 });
    const left = await db.selectFrom('sessions').select('code').where('site_id', '=', open.id).where('code', 'in', ['OLD00001', 'OLD00002']).execute();
    expect(left).toEqual([{ code: 'OLD00002' }]);
    expect(await count('pageviews', open.id)).toBe(recent - 2);
  });
});

describe.each(DATABASE_KINDS)('ingest when the database is gone on %s', (kind) => {
  it('answers 503 with Retry-After and acknowledges nothing', async () => {
    const t = await createTestDatabase(kind);
    const site = await createSite(t.database.db, { name: 'S', domains: [], timezone: 'UTC' }, 'https://cm');
    const app = await buildApp({ config: testConfig(), database: t.database, adminToken: 'x'.repeat(20) });
    try {
      // Warm the site cache so the failure is the write, not the lookup.
      expect((await app.inject({ method: 'POST', url: '/v1/hit', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(pageview(site.key)) })).statusCode).toBe(200);
      await t.database.close();
      const res = await app.inject({ method: 'POST', url: '/v1/hit', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(pageview(site.key)) });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json()).toMatchObject({ error: 'unavailable' });
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});

describe('hit rate limit', () => {
  it('answers 429 past the limit per address', async () => {
    const t = await createTestDatabase('pglite');
    const site = await createSite(t.database.db, { name: 'S', domains: [], timezone: 'UTC' }, 'https://cm');
    const app = await buildApp({ config: testConfig({ hitRateLimit: 3 }), database: t.database, adminToken: 'x'.repeat(20) });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await app.inject({ method: 'POST', url: '/v1/hit', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(pageview(site.key)) })).statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});

describe.each(DATABASE_KINDS)('the hit store on %s', (kind) => {
  it('gives the second of two visitors claiming one new code in a batch a fresh code, and writes every row', async () => {
    const t = await createTestDatabase(kind);
    try {
      const site = await createSite(t.database.db, { name: 'S', domains: [], timezone: 'UTC' }, 'https://cm');
      const store = new HitStore(t.database.db);
      const ts = new Date();
      const hit = (visitorId: string, path: string): HitWrite => ({ siteId: site.id, ts, visitorId, code: 'K7M2XQ91', session: null, pageview: { url: `https://x${path}`, path, title: null } });
      const results = await store.writeBatch([hit('visitor-a', '/a'), hit('visitor-b', '/b'), hit('visitor-a', '/a2')]);
      expect(results[0]).toEqual({ code: 'K7M2XQ91' });
      expect(results[2]).toEqual({ code: 'K7M2XQ91' });
      const other = (results[1] as { code: string }).code;
      expect(other).not.toBe('K7M2XQ91');
      const rows = await t.database.db.selectFrom('pageviews').select(['path', 'session_code']).where('site_id', '=', site.id).orderBy('path').execute();
      expect(rows).toEqual([
        { path: '/a', session_code: 'K7M2XQ91' },
        { path: '/a2', session_code: 'K7M2XQ91' },
        { path: '/b', session_code: other },
      ]);
      const visitors = await t.database.db.selectFrom('visitors').select(['id', 'sessions', 'first_session']).where('site_id', '=', site.id).orderBy('id').execute();
      expect(visitors).toEqual([
        { id: 'visitor-a', sessions: 1, first_session: 'K7M2XQ91' },
        { id: 'visitor-b', sessions: 1, first_session: other },
      ]);
    } finally {
      await t.dispose();
    }
  });

  it('keeps first and last touch when one batch opens several sessions of a visitor, and counts a session once', async () => {
    const t = await createTestDatabase(kind);
    try {
      const site = await createSite(t.database.db, { name: 'S', domains: [], timezone: 'UTC' }, 'https://cm');
      const t0 = new Date('2026-03-01T10:00:00Z').getTime();
      const open = (visitorId: string, code: string, minute: number, source: string | null): HitWrite => ({
        siteId: site.id,
        ts: new Date(t0 + minute * 60_000),
        visitorId,
        code,
        session: (source ? { traffic_type: 'paid_search', source, medium: 'cpc', campaign: `c-${code}` } : {}) as SessionFields,
        pageview: { url: 'https://x/', path: '/', title: null },
      });
      // Out of time order within the batch: the aggregate must order by start, not by arrival.
      await new HitStore(t.database.db).writeBatch([
        open('visitor-a', 'K7M2XQ92', 2, 'yandex'),
        open('visitor-a', 'K7M2XQ91', 1, null),
        open('visitor-a', 'K7M2XQ94', 4, null),
        open('visitor-a', 'K7M2XQ93', 3, 'google'),
        open('visitor-b', 'K7M2XQ95', 1, 'vk'),
      ]);
      // A process that does not know the session yet (a restart) claims it again: not a new one.
      await new HitStore(t.database.db).writeBatch([open('visitor-b', 'K7M2XQ95', 5, 'vk')]);
      const rows = await t.database.db
        .selectFrom('visitors')
        .select(['id', 'sessions', 'first_seen_at', 'last_seen_at', 'first_session', 'first_traffic_type', 'last_session', 'last_source', 'last_campaign'])
        .where('site_id', '=', site.id)
        .orderBy('id')
        .execute();
      const at = (minute: number) => new Date(t0 + minute * 60_000);
      expect(rows).toEqual([
        { id: 'visitor-a', sessions: 4, first_seen_at: at(1), last_seen_at: at(4), first_session: 'K7M2XQ91', first_traffic_type: 'direct', last_session: 'K7M2XQ93', last_source: 'google', last_campaign: 'c-K7M2XQ93' },
        { id: 'visitor-b', sessions: 1, first_seen_at: at(1), last_seen_at: at(1), first_session: 'K7M2XQ95', first_traffic_type: 'paid_search', last_session: 'K7M2XQ95', last_source: 'vk', last_campaign: 'c-K7M2XQ95' },
      ]);
    } finally {
      await t.dispose();
    }
  });

  it('writes a known session’s last_seen_at at most once a minute', async () => {
    const t = await createTestDatabase(kind);
    try {
      const site = await createSite(t.database.db, { name: 'S', domains: [], timezone: 'UTC' }, 'https://cm');
      const store = new HitStore(t.database.db);
      const t0 = new Date('2026-03-01T10:00:00Z');
      const hit = (ts: Date): HitWrite => ({ siteId: site.id, ts, visitorId: 'visitor-1', code: 'K7M2XQ91', session: null, pageview: { url: 'https://x/', path: '/', title: null } });
      await store.writeBatch([hit(t0)]);
      await store.writeBatch([hit(new Date(t0.getTime() + 30_000))]);
      const lastSeen = async () =>
        (await t.database.db.selectFrom('sessions').select('last_seen_at').where('site_id', '=', site.id).executeTakeFirstOrThrow()).last_seen_at.toISOString();
      expect(await lastSeen()).toBe(t0.toISOString());
      const later = new Date(t0.getTime() + 120_000);
      await store.writeBatch([hit(later), hit(new Date(later.getTime() + 1000))]);
      expect(await lastSeen()).toBe(new Date(later.getTime() + 1000).toISOString());
      const n = await t.database.db.selectFrom('pageviews').select((eb) => eb.fn.countAll().as('n')).where('site_id', '=', site.id).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(4);
    } finally {
      await t.dispose();
    }
  });
});
