import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/build-app.ts';
import { createSite } from '../../src/admin/sites.ts';
import { createChannel } from '../../src/admin/channels.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { testConfig } from '../support/config.ts';
import { seedContact, seedInquiry } from '../support/seed.ts';

const ADMIN = 'admin-token-for-access-tests';

type Method = 'GET' | 'PATCH';
interface Site {
  id: number;
  key: string;
  api_key: string;
  inquiry: number;
}

/** Every route under /v1/sites/{site}: each must keep one site's key out of another site. */
const ROUTES: Array<{ method: Method; path: (s: Site) => string; body?: object }> = [
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/inquiries` },
  { method: 'GET', path: (s) => `/v1/sites/${s.key}/inquiries?channel=whatsapp` },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/inquiries/${s.inquiry}` },
  { method: 'PATCH', path: (s) => `/v1/sites/${s.id}/inquiries/${s.inquiry}`, body: { tags: ['seen'] } },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/inquiries.csv` },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/reports/new-repeat` },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/reports/pages` },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/reports/channels?level=source` },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/reports/dynamics?granularity=week&compare=year` },
  { method: 'GET', path: (s) => `/v1/sites/${s.id}/reports/match-quality` },
];

describe.each(DATABASE_KINDS)('API keys and site isolation on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let a: Site;
  let b: Site;
  const db = () => t.database.db;

  const call = (method: Method, url: string, token: string | null, body?: object) =>
    app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body } : {}) });
  const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, token = ADMIN) => app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

  async function makeSite(name: string): Promise<Site> {
    const s = await createSite(db(), { name, domains: [], timezone: 'Europe/Moscow' }, 'https://cm');
    const channel = await createChannel(db(), { site: String(s.id), kind: 'whatsapp', provider: 'generic', address: '79991234567' }, 'https://cm');
    const contact = await seedContact(db(), s.id, { name: `${name} contact` });
    const inquiry = await seedInquiry(db(), s.id, { channelId: channel.id, contactId: contact, receivedAt: new Date().toISOString(), firstMessage: `secret of ${name}` });
    return { ...s, inquiry };
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig(), database: t.database, adminToken: ADMIN });
    a = await makeSite('A');
    b = await makeSite('B');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("answers a site's own key and the admin token on every route", async () => {
    for (const r of ROUTES) {
      for (const token of [a.api_key, ADMIN]) {
        const res = await call(r.method, r.path(a), token, r.body);
        expect(res.statusCode, `${r.method} ${r.path(a)}: ${res.body}`).toBe(200);
      }
    }
  });

  it("gives a key of site A 404 for anything of site B on every route, and reveals nothing", async () => {
    for (const r of ROUTES) {
      const res = await call(r.method, r.path(b), a.api_key, r.body);
      expect(res.statusCode, `${r.method} ${r.path(b)}`).toBe(404);
      expect(res.json()).toEqual({ error: 'not_found', message: 'site not found' });
      // Even a request B's routes would refuse as malformed is a plain 404 to A's key.
      const malformed = await call(r.method, `${r.path(b).split('?')[0]}?colour=red`, a.api_key, r.body);
      expect(malformed.statusCode, `${r.method} ${r.path(b)}?colour=red`).toBe(404);
    }
    // B's inquiry through A's own site: not there either, and untouched.
    expect((await call('GET', `/v1/sites/${a.id}/inquiries/${b.inquiry}`, a.api_key)).statusCode).toBe(404);
    expect((await call('PATCH', `/v1/sites/${a.id}/inquiries/${b.inquiry}`, a.api_key, { status: 'junk' })).statusCode).toBe(404);
    const untouched = await db().selectFrom('inquiries').select(['status', 'tags']).where('site_id', '=', b.id).where('id', '=', b.inquiry).executeTakeFirstOrThrow();
    expect(untouched).toEqual({ status: 'new', tags: [] });
    const journal = await call('GET', `/v1/sites/${a.id}/inquiries.csv`, a.api_key);
    expect(journal.body).not.toContain('secret of B');
  });

  it('answers no key or an unknown one with 401 on every route, and keeps the admin API to the admin token', async () => {
    for (const r of ROUTES) {
      expect((await call(r.method, r.path(a), null, r.body)).statusCode).toBe(401);
      expect((await call(r.method, r.path(a), 'cmk_not_a_key_at_all_0000000000000', r.body)).statusCode).toBe(401);
    }
    expect((await admin('GET', `/v1/admin/sites/${a.id}/keys`, a.api_key)).statusCode).toBe(401);
    expect((await admin('DELETE', `/v1/admin/sites/${a.id}/keys/1`, a.api_key)).statusCode).toBe(401);
  });

  it('lists keys without the keys themselves, and a revoked key gets 401 on every route from the next request', async () => {
    const created = await app.inject({ method: 'POST', url: `/v1/admin/sites/${a.id}/keys`, headers: { authorization: `Bearer ${ADMIN}` }, payload: { name: 'Metabase' } });
    expect(created.statusCode).toBe(201);
    const key = (created.json() as { api_key: string }).api_key;
    expect((await call('GET', ROUTES[0]!.path(a), key)).statusCode).toBe(200);

    const listed = await admin('GET', `/v1/admin/sites/${a.id}/keys`);
    expect(listed.statusCode).toBe(200);
    const { keys } = listed.json() as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(2);
    expect(keys[1]).toEqual({ id: expect.any(Number), prefix: key.slice(0, 8), name: 'Metabase', created_at: expect.any(String), last_used_at: null, revoked_at: null });
    expect(listed.body).not.toContain(key);
    expect(listed.body).not.toMatch(/hash/);

    const revoked = await admin('DELETE', `/v1/admin/sites/${a.id}/keys/${key.slice(0, 8)}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: keys[1]!.id, revoked_at: expect.any(String) });
    for (const r of ROUTES) {
      const res = await call(r.method, r.path(a), key, r.body);
      expect(res.statusCode, `${r.method} ${r.path(a)}`).toBe(401);
      expect(res.json()).toEqual({ error: 'unauthorized', message: 'invalid or revoked API key' });
    }
    // The site's other key still works; revoking again changes nothing.
    expect((await call('GET', ROUTES[0]!.path(a), a.api_key)).statusCode).toBe(200);
    const again = await admin('DELETE', `/v1/admin/sites/${a.id}/keys/${keys[1]!.id}`);
    expect(again.json()).toMatchObject({ revoked_at: revoked.json().revoked_at });
    expect((await admin('GET', `/v1/admin/sites/${a.id}/keys`)).json().keys[1].revoked_at).toBe(revoked.json().revoked_at);
  });

  it('revokes by id or by the whole key, refuses unknown, foreign and ambiguous ones', async () => {
    const k1 = (await app.inject({ method: 'POST', url: `/v1/admin/sites/${b.id}/keys`, headers: { authorization: `Bearer ${ADMIN}` }, payload: {} })).json().api_key as string;
    expect((await admin('DELETE', `/v1/admin/sites/${b.id}/keys/${encodeURIComponent(k1)}`)).statusCode).toBe(200);
    expect((await call('GET', ROUTES[0]!.path(b), k1)).statusCode).toBe(401);

    expect((await admin('DELETE', `/v1/admin/sites/${b.id}/keys/cmk_zzzz`)).statusCode).toBe(404);
    // A's key is not B's to revoke.
    const aKeys = (await admin('GET', `/v1/admin/sites/${a.id}/keys`)).json().keys as Array<{ id: number; prefix: string }>;
    expect((await admin('DELETE', `/v1/admin/sites/${b.id}/keys/${aKeys[0]!.id}`)).statusCode).toBe(404);
    expect((await admin('DELETE', `/v1/admin/sites/${b.id}/keys/${aKeys[0]!.prefix}`)).statusCode).toBe(404);
    expect((await call('GET', ROUTES[0]!.path(a), a.api_key)).statusCode).toBe(200);

    await db().insertInto('api_keys').values([{ site_id: b.id, hash: 'x1', prefix: 'cmk_same' }, { site_id: b.id, hash: 'x2', prefix: 'cmk_same' }]).execute();
    const ambiguous = await admin('DELETE', `/v1/admin/sites/${b.id}/keys/cmk_same`);
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json().message).toMatch(/more than one key/);
    expect((await admin('GET', `/v1/admin/sites/999999/keys`)).statusCode).toBe(404);
  });

  it('describes every route in OpenAPI at /docs/json, with a page at /docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown>; security?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/sites/{site}/inquiries',
      '/v1/sites/{site}/inquiries.csv',
      '/v1/sites/{site}/inquiries/{id}',
      '/v1/sites/{site}/reports/new-repeat',
      '/v1/sites/{site}/reports/pages',
      '/v1/sites/{site}/reports/channels',
      '/v1/sites/{site}/reports/dynamics',
      '/v1/sites/{site}/reports/match-quality',
      '/v1/admin/sites/{site}/keys',
      '/v1/admin/sites/{site}/keys/{key}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const list = doc.paths['/v1/sites/{site}/inquiries']!.get!;
    expect(list.parameters!.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'channel', 'provider', 'traffic_type', 'source', 'medium', 'campaign', 'page', 'type', 'match', 'tag', 'status', 'q', 'limit', 'cursor']),
    );
    expect(list.security).toEqual([{ bearer: [] }]);
    for (const [path, ops] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/sites/'))) {
      for (const [method, op] of Object.entries(ops)) expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['200', '4XX']));
    }
    expect(doc.paths['/v1/sites/{site}/inquiries/{id}']!.patch).toBeDefined();
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger-ui/i);
    expect((await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' })).statusCode).toBe(200);
  });
});
