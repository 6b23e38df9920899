import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { copyPGliteTemplate, createServerDatabase, DATABASE_KINDS, tempDir } from '../support/databases.ts';
import { runCli, runCliAsync, startServer } from '../support/processes.ts';

/** One plain line on stderr: no stack trace, no object dump. */
function expectOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^chatmark: /);
  expect(lines[0]).toMatch(pattern);
}

describe.each(DATABASE_KINDS)('chatmark commands on %s', (kind) => {
  const dir = tempDir();
  let env: Record<string, string>;
  let drop = async () => {};

  beforeAll(async () => {
    env = { DATA_DIR: dir.path, PUBLIC_URL: 'https://cm.example.org' };
    if (kind === 'postgres') {
      const created = await createServerDatabase();
      env.DATABASE_URL = created.url;
      drop = created.drop;
    }
  });
  afterAll(async () => {
    await drop();
    dir.remove();
  });

  it('migrate --json prints exactly one JSON object, and applies nothing the second time', async () => {
    const first = await runCliAsync(['migrate', '--json'], env);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ applied: expect.arrayContaining(['0001_core.sql']) });
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    const second = await runCliAsync(['migrate', '--json'], env);
    expect(JSON.parse(second.stdout)).toEqual({ applied: [] });
  });

  it('site create, site list and key create speak the contract', async () => {
    const created = await runCliAsync(['site', 'create', '--name', 'Мой магазин', '--domain', 'shop.example.ru', '--domain', 'www.shop.example.ru', '--timezone', 'Europe/Moscow', '--json'], env);
    expect(created.status, created.stderr).toBe(0);
    const site = JSON.parse(created.stdout);
    expect(Object.keys(site).sort()).toEqual(['api_key', 'id', 'key', 'snippet']);
    expect(site.snippet).toBe(`<script async src="https://cm.example.org/s.js" data-site="${site.key}"></script>`);

    const listed = await runCliAsync(['site', 'list', '--json'], env);
    const { sites } = JSON.parse(listed.stdout);
    expect(sites.find((s: { id: number }) => s.id === site.id)).toMatchObject({
      key: site.key,
      name: 'Мой магазин',
      domains: ['shop.example.ru', 'www.shop.example.ru'],
      timezone: 'Europe/Moscow',
    });

    const key = await runCliAsync(['key', 'create', '--site', String(site.id), '--json'], env);
    expect(key.status, key.stderr).toBe(0);
    expect(JSON.parse(key.stdout)).toEqual({ api_key: expect.stringMatching(/^cmk_/) });

    const text = await runCliAsync(['site', 'list'], env);
    expect(text.stdout).toContain(site.key);

    const tg = await runCliAsync(['channel', 'create', '--site', String(site.id), '--kind', 'telegram', '--provider', 'telegram', '--address', '@Shop_Bot', '--json'], env);
    expect(tg.status, tg.stderr).toBe(0);
    const channel = JSON.parse(tg.stdout);
    expect(Object.keys(channel).sort()).toEqual(['id', 'secret', 'webhook_url']);
    expect(channel.webhook_url).toBe(`https://cm.example.org/v1/webhooks/telegram/${channel.id}`);
    expect(channel.secret).toMatch(/^[A-Za-z0-9_-]{16,256}$/);

    const meta = await runCliAsync(['channel', 'create', '--site', site.key, '--kind', 'whatsapp', '--provider', 'meta', '--address', '+7 (999) 123-45-67', '--secret', 'app-secret-from-meta', '--json'], env);
    expect(meta.status, meta.stderr).toBe(0);
    expect(JSON.parse(meta.stdout)).toMatchObject({ secret: 'app-secret-from-meta', verify_token: expect.any(String) });

    const noSecret = await runCliAsync(['channel', 'create', '--site', site.key, '--kind', 'whatsapp', '--provider', 'twilio', '--address', '79991234567', '--json'], env);
    expect(noSecret.status).toBe(1);
    expectOneLineError(noSecret.stderr, /--secret is required for twilio/);

    const listedChannels = await runCliAsync(['channel', 'list', '--site', String(site.id), '--json'], env);
    const { channels } = JSON.parse(listedChannels.stdout);
    expect(channels.map((c: { address: string }) => c.address).sort()).toEqual(['79991234567', 'shop_bot']);
    // Secrets are shown once, at creation, and never again.
    expect(listedChannels.stdout).not.toContain(channel.secret);
    expect(listedChannels.stdout).not.toContain('app-secret-from-meta');
  });

  it('key list shows prefixes and states, never a key; key revoke takes a prefix or an id', async () => {
    const site = JSON.parse((await runCliAsync(['site', 'create', '--name', 'Keys', '--domain', 'keys.example.com', '--json'], env)).stdout);
    const extra = JSON.parse((await runCliAsync(['key', 'create', '--site', String(site.id), '--name', 'BI', '--json'], env)).stdout).api_key as string;

    const listed = await runCliAsync(['key', 'list', '--site', String(site.id), '--json'], env);
    expect(listed.status, listed.stderr).toBe(0);
    const { keys } = JSON.parse(listed.stdout);
    expect(keys.map((k: { prefix: string; name: string | null; revoked_at: string | null }) => [k.prefix, k.name, k.revoked_at])).toEqual([
      [site.api_key.slice(0, 8), 'created with the site', null],
      [extra.slice(0, 8), 'BI', null],
    ]);
    expect(listed.stdout).not.toContain(site.api_key);
    expect(listed.stdout).not.toContain(extra);

    const revoked = await runCliAsync(['key', 'revoke', '--site', site.key, '--key', extra.slice(0, 8), '--json'], env);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: keys[1].id, revoked_at: expect.any(String) });
    const byId = await runCliAsync(['key', 'revoke', '--site', String(site.id), '--key', String(keys[0].id)], env);
    expect(byId.stdout).toMatch(new RegExp(`API key ${keys[0].id} \\(${site.api_key.slice(0, 8)}…\\) revoked at`));
    const text = await runCliAsync(['key', 'list', '--site', String(site.id)], env);
    expect(text.stdout.match(/revoked 20/g)).toHaveLength(2);

    const unknown = await runCliAsync(['key', 'revoke', '--site', String(site.id), '--key', 'cmk_nope', '--json'], env);
    expect(unknown.status).toBe(1);
    expectOneLineError(unknown.stderr, /no API key "cmk_nope"/);
    const usage = await runCliAsync(['key', 'revoke', '--site', String(site.id)], env);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/missing --key/);
  });

  it('reports bad values as one line with exit 1', async () => {
    const r = await runCliAsync(['site', 'create', '--name', 'x', '--domain', 'x.com', '--timezone', 'Nowhere/Atlantis', '--json'], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLineError(r.stderr, /time zone/);
    const missing = await runCliAsync(['key', 'create', '--site', '987654', '--json'], env);
    expect(missing.status).toBe(1);
    expectOneLineError(missing.stderr, /site 987654 not found/);
  });
});

describe('chatmark usage errors', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  it.each([
    [['site', 'create', '--name', 'x', '--domain', 'x.com', '--colour', 'red'], /colour/],
    [['site', 'create', '--domain', 'x.com'], /missing --name/],
    [['key', 'create'], /missing --site/],
    [['site', 'explode'], /unknown command/],
    [['migrate', '--json', 'extra'], /argument/],
  ])('%j → usage, exit 2', (args, pattern) => {
    const r = runCli(args, { DATA_DIR: dir.path });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toMatch(/usage: chatmark/);
    expect(r.stdout).toBe('');
  });

  it('reports every bad setting at once', () => {
    const r = runCli(['site', 'list'], { DATA_DIR: dir.path, PORT: 'eighty', LOG_LEVEL: 'loud', DEMO_DATA: 'yes' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PORT must be/);
    expect(r.stderr).toMatch(/LOG_LEVEL must be/);
    expect(r.stderr).toMatch(/DEMO_DATA must be 1 or 0/);
  });

  it('an unreachable DATABASE_URL is one clear line and a non-zero exit', () => {
    const r = runCli(['serve'], { DATA_DIR: dir.path, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' });
    expect(r.status).not.toBe(0);
    expectOneLineError(r.stderr, /cannot connect to DATABASE_URL/);
  });

  it('an unwritable DATA_DIR is one clear line and a non-zero exit', () => {
    // Under a regular file: not writable even for root.
    const r = runCli(['serve'], { DATA_DIR: '/etc/hostname/chatmark', PORT: '0' });
    expect(r.status).not.toBe(0);
    expectOneLineError(r.stderr, /DATA_DIR .* is not writable/);
  });
});

describe('chatmark serve on the embedded database', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('serves, lets the command work through it, stops on SIGTERM, restarts without migrating, and refuses a tampered schema', async () => {
    copyPGliteTemplate(dir.path);
    const env = { DATA_DIR: dir.path };
    const server = await startServer(env);
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
      expect(server.output()).toMatch(/demo site created/);

      // The data directory is held by the server: the command must go through its admin API.
      const created = await runCliAsync(['site', 'create', '--name', 'Live', '--domain', 'live.example.com', '--json'], env);
      expect(created.status, created.stderr).toBe(0);
      const site = JSON.parse(created.stdout);
      const listed = await fetch(`${server.url}/v1/admin/sites`, { headers: { authorization: `Bearer ${server.adminToken}` } });
      const { sites } = (await listed.json()) as { sites: Array<{ key: string }> };
      expect(sites.map((s) => s.key)).toContain(site.key);
      // Keys too go through the server while it holds the database.
      const keys = await runCliAsync(['key', 'list', '--site', String(site.id), '--json'], env);
      expect(JSON.parse(keys.stdout).keys).toHaveLength(1);
      const revoked = await runCliAsync(['key', 'revoke', '--site', String(site.id), '--key', site.api_key.slice(0, 8), '--json'], env);
      expect(revoked.status, revoked.stderr).toBe(0);
      const refused = await fetch(`${server.url}/v1/sites/${site.id}/inquiries`, { headers: { authorization: `Bearer ${site.api_key}` } });
      expect(refused.status).toBe(401);
      const migrated = await runCliAsync(['migrate', '--json'], env);
      expect(JSON.parse(migrated.stdout)).toEqual({ applied: [] });
    } finally {
      const stopped = await server.stop('SIGTERM');
      expect(stopped.code, server.output()).toBe(0);
      expect(stopped.ms).toBeLessThan(5_000);
    }

    const again = await startServer(env);
    try {
      expect(again.output()).toMatch(/schema is up to date/);
      expect(again.output()).not.toMatch(/demo site created/);
    } finally {
      expect((await again.stop('SIGINT')).code).toBe(0);
    }

    // The server has let go of the data directory: open it here and tamper with the record.
    const database = await openDatabase({ dataDir: dir.path });
    // DEMO_DATA=0 (the test servers' default): the demo site is there, without generated data.
    expect(await database.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
    await database.db.updateTable('schema_migrations').set({ checksum: 'f'.repeat(64) }).where('name', '=', '0001_core.sql').execute();
    await database.close();
    const refused = await runCliAsync(['serve'], { ...env, PORT: '0' });
    expect(refused.status).toBe(1);
    expectOneLineError(refused.stderr, /0001_core\.sql was changed/);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('chatmark serve on PostgreSQL', () => {
  it('answers /healthz with postgres', async () => {
    const dir = tempDir();
    const { url, drop } = await createServerDatabase();
    const server = await startServer({ DATA_DIR: dir.path, DATABASE_URL: url });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      expect((await server.stop()).code).toBe(0);
      await drop();
      dir.remove();
    }
  });
});
