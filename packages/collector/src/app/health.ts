import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';

export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  app.get(
    '/healthz',
    {
      schema: {
        response: {
          '2xx': { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
        },
      },
    },
    async (_req, reply) => {
      const ok = await opts.database.ping();
      reply.header('cache-control', 'no-store');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database: opts.database.kind });
    },
  );
}
