import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { MATCH_METHODS } from '../journal-filters.ts';
import { count, periodSchema, periodView, scopedInquiries, share, type ReportScope } from './scope.ts';

/** Methods that mean the visit code did not arrive (deleted, retyped, never sent). */
const LOST_CODE = new Set(['probable', 'none']);

export interface MatchQualityReport {
  period: ReturnType<typeof periodView>;
  total: number;
  methods: Array<{ method: string; count: number; share: number }>;
  lost_code: { count: number; share: number };
}

/** How inquiries were tied to visits: every method, with zeros, in the matcher's order of trust. */
export async function matchQualityReport(db: Kysely<DB>, scope: ReportScope): Promise<MatchQualityReport> {
  const rows = await scopedInquiries(db, scope).select(['i.match_method', count().as('n')]).groupBy('i.match_method').execute();
  const total = rows.reduce((s, r) => s + r.n, 0);
  const methods = MATCH_METHODS.map((method) => {
    const n = rows.find((r) => r.match_method === method)?.n ?? 0;
    return { method, count: n, share: share(n, total) };
  });
  const lost = methods.filter((m) => LOST_CODE.has(m.method)).reduce((s, m) => s + m.count, 0);
  return { period: periodView(scope.period, scope.site.timezone), total, methods, lost_code: { count: lost, share: share(lost, total) } };
}

export const matchQualitySchema = {
  type: 'object',
  required: ['period', 'total', 'methods', 'lost_code'],
  properties: {
    period: periodSchema,
    total: { type: 'integer' },
    methods: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'count', 'share'],
        properties: { method: { type: 'string', enum: [...MATCH_METHODS] }, count: { type: 'integer' }, share: { type: 'number' } },
      },
    },
    lost_code: {
      type: 'object',
      description: 'inquiries whose visit code did not arrive: matched by a probable click or not at all',
      required: ['count', 'share'],
      properties: { count: { type: 'integer' }, share: { type: 'number' } },
    },
  },
} as const;
