import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';
import { authorizeSite, security, siteOf } from './auth.ts';
import { journalCsv, type Separator } from './csv.ts';
import { filterProperties, STATUSES } from './journal-filters.ts';
import { getInquiry, journalScope, listInquiries, MAX_TAGS, updateInquiry, type InquiryPatch, type JournalQuery } from './journal.ts';
import { errorSchema, inquiryDetailSchema, inquiryParams, inquirySchema, journalPageSchema, siteParam } from './schemas.ts';
import { reportRoutes } from './reports/routes.ts';

const errors = { '4xx': errorSchema };

/** The analysts' read API (CONTRACT §4). Queries never write, except an analyst's tags and status. */
export async function queryRoutes(app: FastifyInstance, opts: { database: Database; adminToken: string }) {
  const db = opts.database.analytics;
  app.decorateRequest('chatmarkSite', undefined);
  // Authorised before the input is validated: a foreign or revoked key learns nothing, not even
  // whether its query would have been valid.
  app.addHook('onRequest', async (req) => {
    req.chatmarkSite = await authorizeSite(db, req, (req.params as { site: string }).site, opts.adminToken);
  });

  app.get(
    '/v1/sites/:site/inquiries',
    {
      schema: {
        tags: ['journal'],
        summary: 'The journal of inquiries, newest first, filtered and keyset-paged',
        security,
        params: siteParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...filterProperties,
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            cursor: { type: 'string', maxLength: 200, description: 'next_cursor of the previous page' },
          },
        },
        response: { 200: journalPageSchema, ...errors },
      },
    },
    async (req) => listInquiries(db, siteOf(req), req.query as JournalQuery),
  );

  app.get(
    '/v1/sites/:site/inquiries.csv',
    {
      schema: {
        tags: ['journal'],
        summary: 'The filtered journal as CSV (UTF-8 with BOM), streamed',
        description: "Columns: the journal's fields flattened; received_at in the site's time zone. Text that a spreadsheet would take for a formula is prefixed with an apostrophe.",
        security,
        params: siteParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...filterProperties, sep: { type: 'string', enum: [';', ','], default: ';', description: 'field separator (; for Excel in most of Europe and Russia)' } },
        },
        response: {
          200: { description: 'RFC 4180 CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const site = siteOf(req);
      const q = req.query as JournalQuery & { sep: Separator };
      // Everything that can be refused is refused here, before the first byte of 200 goes out.
      const scope = await journalScope(db, site, q);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="inquiries-${site.id}-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(journalCsv(db, scope, q.sep));
    },
  );

  app.get(
    '/v1/sites/:site/inquiries/:id',
    {
      schema: {
        tags: ['journal'],
        summary: "One inquiry with the contact's other inquiries (history) and the visit's pageviews (path)",
        security,
        params: inquiryParams,
        response: { 200: inquiryDetailSchema, ...errors },
      },
    },
    async (req) => getInquiry(db, siteOf(req), (req.params as { id: number }).id),
  );

  app.patch(
    '/v1/sites/:site/inquiries/:id',
    {
      schema: {
        tags: ['journal'],
        summary: "Sets an inquiry's tags (replacing them) and/or status",
        security,
        params: inquiryParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            tags: { type: 'array', maxItems: MAX_TAGS, items: { type: 'string', minLength: 1, maxLength: 50 } },
            status: { type: 'string', enum: [...STATUSES] },
          },
        },
        response: { 200: inquirySchema, ...errors },
      },
    },
    async (req) => updateInquiry(db, siteOf(req), (req.params as { id: number }).id, req.body as InquiryPatch),
  );

  await app.register(reportRoutes, { database: opts.database });
}
