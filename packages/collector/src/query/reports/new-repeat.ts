import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { count, periodSchema, periodView, scopedInquiries, share, type ReportScope } from './scope.ts';

export interface NewRepeatReport {
  period: ReturnType<typeof periodView>;
  total: number;
  new: { count: number; share: number };
  repeat: { count: number; share: number };
}

/** How many inquiries came from people writing for the first time, and how many came back. */
export async function newRepeatReport(db: Kysely<DB>, scope: ReportScope): Promise<NewRepeatReport> {
  const rows = await scopedInquiries(db, scope).select(['i.type', count().as('n')]).groupBy('i.type').execute();
  const n = (type: string) => rows.find((r) => r.type === type)?.n ?? 0;
  const total = n('new') + n('repeat');
  return {
    period: periodView(scope.period, scope.site.timezone),
    total,
    new: { count: n('new'), share: share(n('new'), total) },
    repeat: { count: n('repeat'), share: share(n('repeat'), total) },
  };
}

const part = { type: 'object', required: ['count', 'share'], properties: { count: { type: 'integer' }, share: { type: 'number', description: '0..1 of total' } } } as const;

export const newRepeatSchema = {
  type: 'object',
  required: ['period', 'total', 'new', 'repeat'],
  properties: { period: periodSchema, total: { type: 'integer' }, new: part, repeat: part },
} as const;
