import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';
import { authorizeSite } from './auth.ts';
import { getInquiry, listInquiries, type JournalQuery } from './journal.ts';

const siteParam = { type: 'object', required: ['site'], properties: { site: { type: 'string', maxLength: 64 } } } as const;

/** The analysts' read API (CONTRACT §4). Queries never write. */
export async function queryRoutes(app: FastifyInstance, opts: { database: Database; adminToken: string }) {
  const { db } = opts.database;

  app.get(
    '/v1/sites/:site/inquiries',
    {
      schema: {
        params: siteParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'string', maxLength: 40 },
            to: { type: 'string', maxLength: 40 },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
            cursor: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (req) => {
      const site = await authorizeSite(db, req, (req.params as { site: string }).site, opts.adminToken);
      return listInquiries(db, site, req.query as JournalQuery);
    },
  );

  app.get(
    '/v1/sites/:site/inquiries/:id',
    {
      schema: {
        params: { ...siteParam, required: ['site', 'id'], properties: { ...siteParam.properties, id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
      },
    },
    async (req) => {
      const { site: ref, id } = req.params as { site: string; id: number };
      const site = await authorizeSite(db, req, ref, opts.adminToken);
      return getInquiry(db, site, id);
    },
  );
}
