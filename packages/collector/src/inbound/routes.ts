import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/open.ts';
import type { Provider } from '../db/schema.ts';
import { TtlCache } from '../app/ttl-cache.ts';
import { storable } from '../app/storable.ts';
import { HttpError, notFound } from '../app/errors.ts';
import { PROVIDERS } from '../admin/channels.ts';
import { ADAPTERS, metaHandshake } from './providers/index.ts';
import { recordInbound, type Channel, type InboundOptions, type RecordOutcome } from './record.ts';
import { WebhookAuthError, WebhookParseError, type ChannelSecrets, type WebhookRequest } from './types.ts';

export interface InboundRouteOptions {
  database: Database;
  config: { publicUrl: string };
  inbound: InboundOptions;
}

const BODY_LIMIT = 1024 * 1024;
const params = {
  type: 'object',
  required: ['provider', 'channel'],
  properties: { provider: { type: 'string', enum: [...PROVIDERS] }, channel: { type: 'string', maxLength: 64 } },
} as const;

/**
 * Platforms' webhooks (CONTRACT §3). The body stays raw bytes until the provider's adapter has
 * verified them; only then is it parsed, and only then is anything stored.
 */
export async function inboundRoutes(app: FastifyInstance, opts: InboundRouteOptions) {
  const { db } = opts.database;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  // Every delivery names its channel, which hardly ever changes: a short cache spares a query per
  // message. The site's privacy setting is read with each message (recordInbound), so a change
  // of it applies at once.
  const channels = new TtlCache<Channel | null>(10_000);
  const findChannel = async (provider: Provider, id: string) => {
    const channel = await channels.get(`${provider}:${id}`, () =>
      db.selectFrom('channels').selectAll().where('id', '=', id).where('provider', '=', provider).where('disabled_at', 'is', null).executeTakeFirst().then((c) => c ?? null),
    );
    if (!channel) throw notFound('channel');
    return channel;
  };

  const request = (req: FastifyRequest): WebhookRequest => ({
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    headers: req.headers,
    query: req.query as Record<string, string | undefined>,
    publicUrl: opts.config.publicUrl + req.url,
  });

  app.get('/v1/webhooks/meta/:channel', { schema: { params: { ...params, required: ['channel'] } } }, async (req, reply) => {
    const channel = await findChannel('meta', (req.params as { channel: string }).channel);
    try {
      return reply.type('text/plain').send(metaHandshake(req.query as Record<string, string | undefined>, secrets(channel)));
    } catch (err) {
      if (err instanceof WebhookAuthError) throw new HttpError(401, 'unauthorized', err.message);
      throw err;
    }
  });

  app.post('/v1/webhooks/:provider/:channel', { bodyLimit: BODY_LIMIT, schema: { params } }, async (req, reply: FastifyReply) => {
    const { provider, channel: channelId } = req.params as { provider: Provider; channel: string };
    const channel = await findChannel(provider, channelId);
    const adapter = ADAPTERS[provider];
    const webhook = request(req);
    const keys = secrets(channel);
    let messages;
    try {
      adapter.verify(webhook, keys);
      messages = adapter.parse(webhook, keys).map(storable);
    } catch (err) {
      if (err instanceof WebhookAuthError) throw new HttpError(401, 'unauthorized', err.message);
      if (err instanceof WebhookParseError) throw new HttpError(400, 'bad_request', err.message);
      throw err;
    }
    // A batch is stored in the order the messages were written, not the order they are listed.
    messages.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    const outcomes: RecordOutcome[] = [];
    try {
      for (const m of messages) outcomes.push(await recordInbound(db, channel, m, opts.inbound));
    } catch (err) {
      req.log.warn({ err }, 'webhook not stored');
      // The platform will deliver again; what was stored is idempotent.
      return reply.code(503).header('retry-after', '5').send({ error: 'unavailable', message: 'the database is not answering' });
    }
    return { ok: true, received: messages.length, stored: outcomes.filter((o) => o !== 'duplicate').length };
  });
}

function secrets(c: Channel): ChannelSecrets {
  return { id: c.id, provider: c.provider, messenger: c.kind, address: c.address, secret: c.secret, verifyToken: c.verify_token };
}
