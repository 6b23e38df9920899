import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { clicksPerPage, reportCoverage, sessionsPerPage } from './counts.ts';
import { count, periodSchema, periodView, rate, scopedInquiries, type ReportScope } from './scope.ts';

export interface PageRow {
  path: string;
  title: string | null;
  sessions: number;
  chat_clicks: number;
  inquiries: number;
  click_to_inquiry: number | null;
}

export interface PagesReport {
  period: ReturnType<typeof periodView>;
  pages: PageRow[];
  without_page: number;
}

/**
 * The pages chats were opened from, most inquiries first: per page, the sessions that viewed it
 * in the period, the chat clicks made on it and the inquiries opened from it.
 */
export async function pagesReport(db: Kysely<DB>, scope: ReportScope, limit: number): Promise<PagesReport> {
  const cov = await reportCoverage(db, scope, scope.period);
  const [inquiries, clicks] = await Promise.all([
    scopedInquiries(db, scope)
      .select([sql<string | null>`i.page_path`.as('path'), count().as('n'), sql<string | null>`max(i.page_title)`.as('title')])
      .groupBy(sql`1`)
      .execute(),
    clicksPerPage(db, scope, cov),
  ]);
  const pages = new Map<string, PageRow>();
  const row = (path: string) => {
    let r = pages.get(path);
    if (!r) pages.set(path, (r = { path, title: null, sessions: 0, chat_clicks: 0, inquiries: 0, click_to_inquiry: null }));
    return r;
  };
  let withoutPage = 0;
  for (const i of inquiries) {
    if (i.path === null) withoutPage += i.n;
    else Object.assign(row(i.path), { inquiries: i.n, title: i.title });
  }
  for (const k of clicks) {
    const r = row(k.path);
    r.chat_clicks = k.n;
    r.title ??= k.title;
  }
  const top = [...pages.values()]
    .sort((a, b) => b.inquiries - a.inquiries || b.chat_clicks - a.chat_clicks || (a.path < b.path ? -1 : 1))
    .slice(0, limit);
  if (top.length) {
    // Only the pages shown: the index on (site, path, ts) reads just their views.
    const sessions = await sessionsPerPage(db, scope, cov, top.map((p) => p.path));
    for (const s of sessions) pages.get(s.path)!.sessions = s.n;
  }
  for (const p of top) p.click_to_inquiry = rate(p.inquiries, p.chat_clicks);
  return { period: periodView(scope.period, scope.site.timezone), pages: top, without_page: withoutPage };
}

export const pagesSchema = {
  type: 'object',
  required: ['period', 'pages', 'without_page'],
  properties: {
    period: periodSchema,
    pages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'title', 'sessions', 'chat_clicks', 'inquiries', 'click_to_inquiry'],
        properties: {
          path: { type: 'string' },
          title: { type: ['string', 'null'] },
          sessions: { type: 'integer', description: 'sessions that viewed this page in the period' },
          chat_clicks: { type: 'integer', description: 'clicks on messenger links made on this page' },
          inquiries: { type: 'integer', description: 'inquiries whose chat was opened from this page' },
          click_to_inquiry: { type: ['number', 'null'], description: 'inquiries / chat_clicks; null without clicks' },
        },
      },
    },
    without_page: { type: 'integer', description: 'inquiries with no known page (no visit, or an ad referral)' },
  },
} as const;
