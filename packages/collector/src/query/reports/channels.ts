import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { needsVisit } from '../journal-filters.ts';
import { clickCounts, reportCoverage, sessionCounts } from './counts.ts';
import { count, periodSchema, periodView, rate, scopedInquiries, type ReportScope } from './scope.ts';

export const CHANNEL_LEVELS = ['traffic_type', 'source', 'campaign'] as const;
export type ChannelLevel = (typeof CHANNEL_LEVELS)[number];

// Fixed column names per level: the level is validated, and only these ever reach the SQL text.
const COLUMN: Record<ChannelLevel, 'traffic_type' | 'source' | 'campaign'> = { traffic_type: 'traffic_type', source: 'source', campaign: 'campaign' };

interface Counts {
  sessions: number;
  chat_clicks: number;
  inquiries: number;
  conversion: number | null;
}

export interface ChannelsReport {
  period: ReturnType<typeof periodView>;
  level: ChannelLevel;
  rows: Array<{ key: string | null } & Counts>;
  total: Counts;
  /** inquiries that no visit is known for (no code, no probable click): no channel to put them in */
  unattributed_inquiries: number;
}

/**
 * Traffic channels, one level at a time: traffic types, then a type's sources (filter
 * traffic_type), then a source's campaigns (filter source too). Everything is counted by the
 * visit's own attribution: its sessions, its chat clicks, the inquiries tied to it.
 */
export async function channelsReport(db: Kysely<DB>, scope: ReportScope, level: ChannelLevel): Promise<ChannelsReport> {
  const col = sql.ref(`s.${COLUMN[level]}`);
  const cov = await reportCoverage(db, scope, scope.period);
  const [sessions, clicks, inquiries] = await Promise.all([
    sessionCounts(db, scope, cov, COLUMN[level], null),
    clickCounts(db, scope, cov, COLUMN[level], null),
    scopedInquiries(db, scope, scope.period, true)
      .select([sql<string | null>`${col}`.as('key'), sql<boolean>`s.code is not null`.as('visit'), count().as('n')])
      .groupBy([sql`1`, sql`2`])
      .execute(),
  ]);
  const rows = new Map<string | null, { key: string | null } & Counts>();
  const row = (key: string | null) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { key, sessions: 0, chat_clicks: 0, inquiries: 0, conversion: null }));
    return r;
  };
  for (const s of sessions) row(s.key).sessions = s.n;
  for (const k of clicks) row(k.key).chat_clicks = k.n;
  let unattributed = 0;
  for (const i of inquiries) {
    if (i.visit) row(i.key).inquiries += i.n;
    else unattributed += i.n;
  }
  const list = [...rows.values()].sort((a, b) => b.sessions - a.sessions || b.inquiries - a.inquiries || String(a.key).localeCompare(String(b.key)));
  for (const r of list) r.conversion = rate(r.inquiries, r.sessions);
  const sum = (k: 'sessions' | 'chat_clicks' | 'inquiries') => list.reduce((s, r) => s + r[k], 0);
  const total = { sessions: sum('sessions'), chat_clicks: sum('chat_clicks'), inquiries: sum('inquiries'), conversion: null as number | null };
  total.conversion = rate(total.inquiries, total.sessions);
  return {
    period: periodView(scope.period, scope.site.timezone),
    level,
    rows: list,
    total,
    // with a visit filter, inquiries without a visit were filtered out already
    unattributed_inquiries: needsVisit(scope.filters) ? 0 : unattributed,
  };
}

const counts = {
  sessions: { type: 'integer' },
  chat_clicks: { type: 'integer' },
  inquiries: { type: 'integer' },
  conversion: { type: ['number', 'null'], description: 'inquiries / sessions; null without sessions' },
} as const;

export const channelsSchema = {
  type: 'object',
  required: ['period', 'level', 'rows', 'total', 'unattributed_inquiries'],
  properties: {
    period: periodSchema,
    level: { type: 'string', enum: [...CHANNEL_LEVELS] },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'sessions', 'chat_clicks', 'inquiries', 'conversion'],
        properties: { key: { type: ['string', 'null'], description: 'the traffic type, source or campaign; null for none' }, ...counts },
      },
    },
    total: { type: 'object', required: ['sessions', 'chat_clicks', 'inquiries', 'conversion'], properties: counts },
    unattributed_inquiries: { type: 'integer' },
  },
} as const;
