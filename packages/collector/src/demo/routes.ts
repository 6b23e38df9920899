import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';
import { DEMO, findDemoSite } from './site.ts';
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
