import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';
import { createHmac, randomUUID } from 'node:crypto';
import { DEMO, findDemoChannel, findDemoSite } from './site.ts';
import { getInquiry } from '../query/journal.ts';
import { demoPage, demoScript } from './page.ts';

export async function demoRoutes(app: FastifyInstance, opts: { database: Database }) {
  app.get('/demo', async (_req, reply) => {
    const site = await findDemoSite(opts.database.db);
    if (!site) return reply.code(404).send({ error: 'not_found', message: 'no demo site: it is created by `npm start` on its first run' });
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(demoPage({ siteKey: site.key, whatsapp: DEMO.whatsapp, telegramBot: DEMO.telegramBot, telegramUser: DEMO.telegramUser }));
  });
  app.get('/demo/page.js', async (_req, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-store').send(demoScript),
  );
}

/**
 * "Simulate the message" on the demo page: the server signs a generic webhook with the demo
 * channel's secret and delivers it through the real webhook route. Only the demo site has this,
 * and the secret never leaves the server.
 */
export async function demoSimulateRoute(app: FastifyInstance, opts: { database: Database }) {
  const { db } = opts.database;
  app.post(
    '/demo/simulate',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['text', 'contact'],
          properties: { text: { type: 'string', maxLength: 4096 }, contact: { type: 'string', pattern: '^demo-[a-z0-9]{4,24}$' } },
        },
      },
    },
    async (req, reply) => {
      const { text, contact } = req.body as { text: string; contact: string };
      const site = await findDemoSite(db);
      const channel = site && (await findDemoChannel(db, site.id));
      if (!site || !channel) return reply.code(404).send({ error: 'not_found', message: 'no demo site' });
      const id = `demo-${randomUUID()}`;
      const body = JSON.stringify({ id, from: { id: contact, name: 'Demo visitor' }, text, timestamp: new Date().toISOString() });
      const signature = 'sha256=' + createHmac('sha256', channel.secret).update(body).digest('hex');
      const res = await app.inject({
        method: 'POST',
        url: `/v1/webhooks/generic/${channel.id}`,
        headers: { 'content-type': 'application/json', 'x-chatmark-signature': signature },
        payload: body,
      });
      if (res.statusCode !== 200) return reply.code(res.statusCode).send(res.json());
      const stored = await db.selectFrom('messages').select('inquiry_id').where('site_id', '=', site.id).where('channel_id', '=', channel.id).where('provider_message_id', '=', id).executeTakeFirst();
      return { inquiry: stored?.inquiry_id ? await getInquiry(db, site, stored.inquiry_id) : null };
    },
  );
}
