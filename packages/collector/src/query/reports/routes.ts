import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/open.ts';
import { filterProperties, type FilterQuery } from '../journal-filters.ts';
import { errorSchema, siteParam } from '../schemas.ts';
import { security, siteOf } from '../auth.ts';
import { COMPARISONS, GRANULARITIES, type Comparison, type Granularity } from './buckets.ts';
import { CHANNEL_LEVELS, channelsReport, channelsSchema, type ChannelLevel } from './channels.ts';
import { dynamicsReport, dynamicsSchema, SPLITS } from './dynamics.ts';
import { matchQualityReport, matchQualitySchema } from './match-quality.ts';
import { newRepeatReport, newRepeatSchema } from './new-repeat.ts';
import { pagesReport, pagesSchema } from './pages.ts';
import { reportScope } from './scope.ts';

const PERIOD_NOTE =
  "For a period (default: the last 30 days, today included) in the site's time zone, with the journal's filters. Bot sessions are left out. " +
  'Session counts take the visit filters (traffic_type, source, medium, campaign, page: sessions that viewed such a page); chat clicks take those and channel; inquiries take all.';

function query(extra: Record<string, object> = {}) {
  return { type: 'object', additionalProperties: false, properties: { ...filterProperties, ...extra } } as const;
}

/** The consolidated reports, each GET /v1/sites/{site}/reports/<name>. */
export async function reportRoutes(app: FastifyInstance, opts: { database: Database }) {
  const db = opts.database.analytics;
  const schema = (summary: string, response: object, extra?: Record<string, object>) => ({
    tags: ['reports'],
    summary,
    description: PERIOD_NOTE,
    security,
    params: siteParam,
    querystring: query(extra),
    response: { 200: response, '4xx': errorSchema },
  });

  app.get('/v1/sites/:site/reports/new-repeat', { schema: schema('Counts and shares of new and repeat inquiries', newRepeatSchema) }, async (req) =>
    newRepeatReport(db, await reportScope(db, siteOf(req), req.query as FilterQuery)),
  );

  app.get('/v1/sites/:site/reports/match-quality', { schema: schema('Share of inquiries per match method', matchQualitySchema) }, async (req) =>
    matchQualityReport(db, await reportScope(db, siteOf(req), req.query as FilterQuery)),
  );

  app.get(
    '/v1/sites/:site/reports/pages',
    { schema: schema('Top pages chats were opened from: sessions, chat clicks, inquiries, click → inquiry rate', pagesSchema, { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }) },
    async (req) => {
      const q = req.query as FilterQuery & { limit: number };
      return pagesReport(db, await reportScope(db, siteOf(req), q), q.limit);
    },
  );

  app.get(
    '/v1/sites/:site/reports/channels',
    {
      schema: schema('Traffic channels: traffic type → source → campaign, with sessions, chat clicks, inquiries and conversion', channelsSchema, {
        level: { type: 'string', enum: [...CHANNEL_LEVELS], default: 'traffic_type', description: 'group by; narrow with the traffic_type and source filters to drill down' },
      }),
    },
    async (req) => {
      const q = req.query as FilterQuery & { level: ChannelLevel };
      return channelsReport(db, await reportScope(db, siteOf(req), q), q.level);
    },
  );

  app.get(
    '/v1/sites/:site/reports/dynamics',
    {
      schema: schema('Sessions, chat clicks and inquiries per day, week, month or quarter, with a comparison period', dynamicsSchema, {
        granularity: { type: 'string', enum: [...GRANULARITIES], default: 'day' },
        compare: { type: 'string', enum: [...COMPARISONS], description: 'previous: the period just before; year: the same days a year earlier' },
        split: { type: 'string', enum: [...SPLITS], description: 'also per traffic type' },
      }),
    },
    async (req) => {
      const q = req.query as FilterQuery & { granularity: Granularity; compare?: Comparison; split?: 'traffic_type' };
      return dynamicsReport(db, await reportScope(db, siteOf(req), q), { granularity: q.granularity, compare: q.compare, split: q.split });
    },
  );
}
