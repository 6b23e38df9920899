import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/build-app.ts';
import { sha256 } from '../../src/admin/tokens.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { testConfig } from '../support/config.ts';

const ADMIN = 'test-admin-token-0123456789';
const PUBLIC_URL = 'https://chatmark.example.com';

describe.each(DATABASE_KINDS)('the app on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig({ publicUrl: PUBLIC_URL }), database: t.database, adminToken: ADMIN });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('answers /healthz with the database kind', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: kind });
  });

  it('creates a site with its first API key, stores only the key hash, and lists it', async () => {
    const res = await fetch(`${base}/v1/admin/sites`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Shop', domains: ['https://Shop.Example.com/', 'shop.example.com', 'm.shop.example.com'], timezone: 'Europe/Moscow' }),
    });
    expect(res.status).toBe(201);
    const site = (await res.json()) as { id: number; key: string; api_key: string; snippet: string };
    expect(site.snippet).toBe(`<script async src="${PUBLIC_URL}/s.js" data-site="${site.key}"></script>`);
    expect(site.api_key).toMatch(/^cmk_[0-9a-z]{32}$/);

    const stored = await t.database.db.selectFrom('api_keys').selectAll().where('site_id', '=', site.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.hash).toBe(sha256(site.api_key));
    expect(JSON.stringify(stored)).not.toContain(site.api_key);

    const list = (await (await fetch(`${base}/v1/admin/sites`, { headers: admin })).json()) as { sites: Array<Record<string, unknown>> };
    const listed = list.sites.find((s) => s.id === site.id);
    expect(listed).toMatchObject({ key: site.key, name: 'Shop', domains: ['shop.example.com', 'm.shop.example.com'], timezone: 'Europe/Moscow' });
    expect(JSON.stringify(list)).not.toContain(site.api_key);

    const key = await fetch(`${base}/v1/admin/sites/${site.key}/keys`, { method: 'POST', headers: admin, body: '{}' });
    expect(key.status).toBe(201);
    const { api_key } = (await key.json()) as { api_key: string };
    expect(api_key).not.toBe(site.api_key);
    expect(await t.database.db.selectFrom('api_keys').select('id').where('site_id', '=', site.id).execute()).toHaveLength(2);
  });

  it('updates a site’s domains and settings, merging settings and refusing bad ones', async () => {
    const created = (await (await fetch(`${base}/v1/admin/sites`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Upd' }) })).json()) as { id: number };
    const patch = (body: unknown) => fetch(`${base}/v1/admin/sites/${created.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify(body) });
    const first = await patch({ domains: ['upd.example.com'], settings: { language: 'en', numbers: ['+7 999 000-11-22'], store_text: false } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ domains: ['upd.example.com'], settings: { language: 'en', numbers: ['79990001122'], store_text: false } });
    const second = await patch({ settings: { telegram: ['@Upd_Shop'], template: 'Hi! {text} ref {code}' } });
    expect(await second.json()).toMatchObject({ settings: { language: 'en', numbers: ['79990001122'], store_text: false, telegram: ['upd_shop'], template: 'Hi! {text} ref {code}' } });
    for (const bad of [{ settings: { colour: 'red' } }, { settings: { template: 'no code here' } }, { settings: { store_text: 'no' } }, { settings: { numbers: ['12'] } }, { timezone: 'Nowhere/Atlantis' }]) {
      const res = await patch(bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'bad_request' });
    }
  });

  it.each([
    ['no token', {}, 401, 'unauthorized'],
    ['a wrong token', { authorization: 'Bearer nope-nope-nope-nope' }, 401, 'unauthorized'],
  ])('refuses admin calls with %s', async (_name, headers, status, error) => {
    const res = await fetch(`${base}/v1/admin/sites`, { headers });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error, message: expect.any(String) });
  });

  it.each([
    ['a missing name', { domains: ['a.com'] }, /name/],
    ['an unknown field', { name: 'x', colour: 'red' }, /colour|additional/],
    ['a bad domain', { name: 'x', domains: ['not a domain!'] }, /not a domain/],
    ['a bad time zone', { name: 'x', timezone: 'Mars/Olympus' }, /time zone/],
    ['a wrong type', { name: 42 }, /name/],
  ])('answers 400 with a clear message for %s, writing nothing', async (_name, body, message) => {
    const before = await t.database.db.selectFrom('sites').select('id').execute();
    const res = await fetch(`${base}/v1/admin/sites`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe('bad_request');
    expect(json.message).toMatch(message);
    expect(await t.database.db.selectFrom('sites').select('id').execute()).toHaveLength(before.length);
  });

  it('answers malformed JSON with 400 and unknown routes with a JSON 404', async () => {
    const bad = await fetch(`${base}/v1/admin/sites`, { method: 'POST', headers: admin, body: '{"name":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_request' });
    const missing = await fetch(`${base}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    const key = await fetch(`${base}/v1/admin/sites/999999/keys`, { method: 'POST', headers: admin, body: '{}' });
    expect(key.status).toBe(404);
  });

  // PostgreSQL refuses both in text or jsonb; whichever door they come through, it is the
  // caller's input, so a 400 and nothing stored, never a 500.
  it('answers a NUL or an unpaired surrogate anywhere with 400 and stores nothing', async () => {
    const sites = async () => (await t.database.db.selectFrom('sites').select('id').execute()).length;
    const before = await sites();
    const site = (await (await fetch(`${base}/v1/admin/sites`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Nul' }) })).json()) as { id: number; key: string; api_key: string };
    const calls = [
      fetch(`${base}/v1/admin/sites`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'a\u0000b' }) }),
      fetch(`${base}/v1/admin/sites/${site.key}`, { method: 'PATCH', headers: admin, body: '{"settings":{"template":"\\ud800 {code}"}}' }),
      fetch(`${base}/v1/sites/${site.id}/inquiries?source=a%00`, { headers: { authorization: `Bearer ${site.api_key}` } }),
      fetch(`${base}/v1/webhooks/generic/ch%00nnel`, { method: 'POST', body: '{}' }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'bad_request', message: expect.stringContaining('NUL') });
    }
    expect(await sites()).toBe(before + 1);
    const view = await t.database.db.selectFrom('sites').select('settings').where('id', '=', site.id).executeTakeFirstOrThrow();
    expect(view.settings).toEqual({});
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await fetch(`${base}/v1/admin/sites`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
  });
});

describe.each(DATABASE_KINDS)('health when the database is gone on %s', (kind) => {
  it('answers 503', async () => {
    const t = await createTestDatabase(kind);
    const app = await buildApp({ config: testConfig({ publicUrl: PUBLIC_URL }), database: t.database, adminToken: ADMIN });
    try {
      await t.database.close();
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', database: kind });
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});
