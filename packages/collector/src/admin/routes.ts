import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';
import { migrate, readMigrations } from '../db/migrate.ts';
import { MIGRATIONS_DIR } from '../paths.ts';
import { requireAdmin } from './auth.ts';
import { createApiKey, createSite, listSites, updateSite, validateSiteInput } from './sites.ts';
import { createChannel, listChannels, MESSENGERS, PROVIDERS, type ChannelInput } from './channels.ts';
import { listApiKeys, revokeApiKey } from './keys.ts';

export interface AdminRouteOptions {
  database: Database;
  adminToken: string;
  /** read per request: the server learns its own URL only once it listens on PORT=0 */
  config: { publicUrl: string };
}

const error = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

/**
 * The site owner's API, authorised by the admin token. The `chatmark` command goes through it
 * when a server holds the embedded database.
 */
export async function adminRoutes(app: FastifyInstance, opts: AdminRouteOptions) {
  const { database, config } = opts;
  app.addHook('onRequest', requireAdmin(opts.adminToken));

  app.post(
    '/v1/admin/sites',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            domains: { type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 100 },
            timezone: { type: 'string', maxLength: 64 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { id: { type: 'integer' }, key: { type: 'string' }, api_key: { type: 'string' }, snippet: { type: 'string' } },
          },
          '4xx': error,
        },
      },
    },
    async (req, reply) => {
      const input = validateSiteInput(req.body as Record<string, unknown>);
      return reply.code(201).send(await createSite(database.db, input, config.publicUrl));
    },
  );

  app.get('/v1/admin/sites', async () => ({ sites: await listSites(database.db, config.publicUrl) }));

  app.patch(
    '/v1/admin/sites/:site',
    {
      schema: {
        params: { type: 'object', properties: { site: { type: 'string', maxLength: 64 } }, required: ['site'] },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            domains: { type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 100 },
            timezone: { type: 'string', maxLength: 64 },
            settings: { type: 'object' },
          },
        },
      },
    },
    async (req) => updateSite(database.db, (req.params as { site: string }).site, req.body as Record<string, never>, config.publicUrl),
  );

  app.post(
    '/v1/admin/sites/:site/keys',
    {
      schema: {
        params: { type: 'object', properties: { site: { type: 'string', maxLength: 64 } }, required: ['site'] },
        body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 } } },
      },
    },
    async (req, reply) => {
      const { site } = req.params as { site: string };
      const { name } = (req.body ?? {}) as { name?: string };
      return reply.code(201).send(await createApiKey(database.db, site, name));
    },
  );

  const keySchema = {
    type: 'object',
    required: ['id', 'prefix', 'name', 'created_at', 'last_used_at', 'revoked_at'],
    properties: {
      id: { type: 'integer' },
      prefix: { type: 'string', description: 'the first characters of the key, to tell keys apart' },
      name: { type: ['string', 'null'] },
      created_at: { type: 'string', format: 'date-time' },
      last_used_at: { type: ['string', 'null'], format: 'date-time' },
      revoked_at: { type: ['string', 'null'], format: 'date-time' },
    },
  } as const;

  app.get(
    '/v1/admin/sites/:site/keys',
    {
      schema: {
        tags: ['admin'],
        summary: "A site's API keys (never the keys themselves), revoked ones included",
        params: { type: 'object', properties: { site: { type: 'string', maxLength: 64 } }, required: ['site'] },
        response: { 200: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: keySchema } } }, '4xx': error },
      },
    },
    async (req) => ({ keys: await listApiKeys(database.db, (req.params as { site: string }).site) }),
  );

  app.delete(
    '/v1/admin/sites/:site/keys/:key',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revokes an API key: from the next request on it gets 401',
        params: {
          type: 'object',
          required: ['site', 'key'],
          properties: { site: { type: 'string', maxLength: 64 }, key: { type: 'string', minLength: 1, maxLength: 200, description: 'the key id, its prefix, or the key' } },
        },
        response: { 200: keySchema, '4xx': error },
      },
    },
    async (req) => {
      const { site, key } = req.params as { site: string; key: string };
      return revokeApiKey(database.db, site, key);
    },
  );

  app.post(
    '/v1/admin/sites/:site/channels',
    {
      schema: {
        params: { type: 'object', properties: { site: { type: 'string', maxLength: 64 } }, required: ['site'] },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'provider', 'address'],
          properties: {
            kind: { type: 'string', enum: [...MESSENGERS] },
            provider: { type: 'string', enum: [...PROVIDERS] },
            address: { type: 'string', minLength: 1, maxLength: 64 },
            secret: { type: 'string', maxLength: 256 },
            verify_token: { type: 'string', maxLength: 256 },
          },
        },
      },
    },
    async (req, reply) => {
      const { site } = req.params as { site: string };
      const b = req.body as Omit<ChannelInput, 'site' | 'verifyToken'> & { verify_token?: string };
      const input: ChannelInput = { site, kind: b.kind, provider: b.provider, address: b.address, secret: b.secret, verifyToken: b.verify_token };
      return reply.code(201).send(await createChannel(database.db, input, config.publicUrl));
    },
  );

  app.get('/v1/admin/sites/:site/channels', async (req) => ({
    channels: await listChannels(database.db, (req.params as { site: string }).site, config.publicUrl),
  }));

  app.post('/v1/admin/migrate', async () => ({ applied: await migrate(database, readMigrations(MIGRATIONS_DIR)) }));
}
