import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/open.ts';
import { migrate, readMigrations } from '../db/migrate.ts';
import { MIGRATIONS_DIR } from '../paths.ts';
import { createApiKey, createSite, listSites, updateSite, validateSiteInput, type CreatedSite, type SiteView } from '../admin/sites.ts';
import { readSavedAdminToken } from '../admin/admin-token.ts';
import { createChannel, listChannels, type ChannelInput, type ChannelView, type CreatedChannel } from '../admin/channels.ts';
import { readDataDirLock } from '../db/data-dir-lock.ts';
import { listApiKeys, revokeApiKey, type ApiKeyView } from '../admin/keys.ts';
import { findRunningServer } from './server-file.ts';

export interface SiteUpdate {
  name?: string;
  domains?: string[];
  timezone?: string;
  settings?: Record<string, unknown>;
}

/** What the `chatmark` command can ask of an installation, wherever the database is. */
export interface AdminClient {
  migrate(): Promise<{ applied: string[] }>;
  createSite(input: { name: string; domains: string[]; timezone?: string }): Promise<CreatedSite>;
  listSites(): Promise<{ sites: SiteView[] }>;
  updateSite(site: string, patch: SiteUpdate): Promise<SiteView>;
  createKey(site: string, name?: string): Promise<{ api_key: string }>;
  listKeys(site: string): Promise<{ keys: ApiKeyView[] }>;
  revokeKey(site: string, key: string): Promise<ApiKeyView>;
  createChannel(input: ChannelInput): Promise<CreatedChannel>;
  listChannels(site: string): Promise<{ channels: ChannelView[] }>;
  close(): Promise<void>;
}

/**
 * PostgreSQL takes many clients, so the command opens it directly. The embedded database belongs
 * to one process: when a server holds it, the command goes through that server's admin API.
 */
export async function connectAdmin(config: Config): Promise<AdminClient> {
  if (!config.databaseUrl) {
    const server = await waitForAnnouncedServer(config.dataDir);
    if (server) {
      const token = config.adminToken ?? readSavedAdminToken(config.dataDir);
      if (!token) throw new Error(`a server is running on ${server.url} but no admin token was found: set ADMIN_TOKEN`);
      return httpAdmin(server.url, token);
    }
  }
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    lockOwner: { role: 'cli' },
  });
  return directAdmin(database, config.publicUrl);
}

/** A server that has locked the data directory may still be starting; give it a moment. */
async function waitForAnnouncedServer(dataDir: string) {
  for (let i = 0; i < 50; i++) {
    const server = findRunningServer(dataDir);
    if (server) return server;
    if (readDataDirLock(dataDir)?.role !== 'server') return null;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

function directAdmin(database: Database, publicUrl: string): AdminClient {
  const files = readMigrations(MIGRATIONS_DIR);
  let migrated: Promise<string[]> | undefined;
  const ensureSchema = () => (migrated ??= migrate(database, files));
  return {
    async migrate() {
      return { applied: await ensureSchema() };
    },
    async createSite(raw) {
      await ensureSchema();
      return createSite(database.db, validateSiteInput(raw), publicUrl);
    },
    async listSites() {
      await ensureSchema();
      return { sites: await listSites(database.db, publicUrl) };
    },
    async updateSite(site, patch) {
      await ensureSchema();
      return updateSite(database.db, site, patch, publicUrl);
    },
    async createKey(site, name) {
      await ensureSchema();
      return createApiKey(database.db, site, name);
    },
    async listKeys(site) {
      await ensureSchema();
      return { keys: await listApiKeys(database.db, site) };
    },
    async revokeKey(site, key) {
      await ensureSchema();
      return revokeApiKey(database.db, site, key);
    },
    async createChannel(input) {
      await ensureSchema();
      return createChannel(database.db, input, publicUrl);
    },
    async listChannels(site) {
      await ensureSchema();
      return { channels: await listChannels(database.db, site, publicUrl) };
    },
    close: () => database.close(),
  };
}

function httpAdmin(baseUrl: string, token: string): AdminClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach the running server at ${baseUrl}: ${(err as Error).message}`);
    }
    const data = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok) throw new Error(data.message ?? `the server answered ${res.status}`);
    return data as T;
  };
  return {
    migrate: () => call('POST', '/v1/admin/migrate'),
    createSite: (input) => call('POST', '/v1/admin/sites', input),
    listSites: () => call('GET', '/v1/admin/sites'),
    updateSite: (site, patch) => call('PATCH', `/v1/admin/sites/${encodeURIComponent(site)}`, patch),
    createKey: (site, name) => call('POST', `/v1/admin/sites/${encodeURIComponent(site)}/keys`, name ? { name } : {}),
    listKeys: (site) => call('GET', `/v1/admin/sites/${encodeURIComponent(site)}/keys`),
    revokeKey: (site, key) => call('DELETE', `/v1/admin/sites/${encodeURIComponent(site)}/keys/${encodeURIComponent(key)}`),
    createChannel: ({ site, verifyToken, ...rest }) =>
      call('POST', `/v1/admin/sites/${encodeURIComponent(site)}/channels`, { ...rest, ...(verifyToken ? { verify_token: verifyToken } : {}) }),
    listChannels: (site) => call('GET', `/v1/admin/sites/${encodeURIComponent(site)}/channels`),
    close: async () => {},
  };
}
