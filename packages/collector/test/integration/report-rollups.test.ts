import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createSite, findSite, updateSite } from '../../src/admin/sites.ts';
import { createChannel } from '../../src/admin/channels.ts';
import type { Site } from '../../src/db/schema.ts';
import { reportScope } from '../../src/query/reports/scope.ts';
import { channelsReport } from '../../src/query/reports/channels.ts';
import { dynamicsReport } from '../../src/query/reports/dynamics.ts';
import { pagesReport } from '../../src/query/reports/pages.ts';
import { newRepeatReport } from '../../src/query/reports/new-repeat.ts';
import { matchQualityReport } from '../../src/query/reports/match-quality.ts';
import { fillClosedDays } from '../../src/query/reports/rollup-schedule.ts';
import type { FilterQuery } from '../../src/query/journal-filters.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { seedClick, seedContact, seedInquiry, seedPageview, seedSession } from '../support/seed.ts';

const SHOP = 'https://shop.example.com';
const DAY = 86_400_000;
const PAGES = ['/', '/roses', '/roses/red', '/tulips', '/delivery'];
const TRAFFIC: Array<[string, string | null, string | null, string | null]> = [
  ['paid_search', 'yandex', 'cpc', 'spring'],
  ['paid_search', 'google', 'cpc', null],
  ['organic_search', 'yandex', 'organic', null],
  ['direct', null, null, null],
  ['organic_social', 'vk', 'social', null],
];

/** A small deterministic generator: the same data on both databases. */
function prng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/**
 * The reports read closed days from rollups and the rest live: every report must come out as if
 * it had counted the raw rows alone, for whole days and for part-days, with every filter.
 */
describe.each(DATABASE_KINDS)('report rollups on %s', (kind) => {
  let t: TestDatabase;
  let site: Site;
  let wa: string;
  const db = () => t.database.db;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: site.timezone }).format(new Date(ms));

  /** Every report of the query, counted live and with rollups. */
  async function both(q: FilterQuery) {
    const run = async (rollups: boolean) => {
      const scope = await reportScope(db(), site, q, { rollups });
      return {
        channels: await channelsReport(db(), scope, 'traffic_type'),
        sources: await channelsReport(db(), scope, 'source'),
        campaigns: await channelsReport(db(), scope, 'campaign'),
        pages: await pagesReport(db(), scope, 100),
        newRepeat: await newRepeatReport(db(), scope),
        matchQuality: await matchQualityReport(db(), scope),
        day: await dynamicsReport(db(), scope, { granularity: 'day', split: 'traffic_type' }),
        week: await dynamicsReport(db(), scope, { granularity: 'week', compare: 'previous' }),
        month: await dynamicsReport(db(), scope, { granularity: 'month', compare: 'year', split: 'traffic_type' }),
      };
    };
    const live = await run(false);
    const rolled = await run(true);
    return { live, rolled };
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const created = await createSite(db(), { name: 'Rollups', domains: [], timezone: 'Europe/Moscow' }, 'https://cm');
    site = (await findSite(db(), created.id))!;
    wa = (await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: '79991234567' }, 'https://cm')).id;
    const tg = (await createChannel(db(), { site: String(site.id), kind: 'telegram', provider: 'telegram', address: '@shop_bot' }, 'https://cm')).id;
    const random = prng(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    // Twelve days back to now, most visits in the past (closed days), some today (open).
    for (let n = 0; n < 70; n++) {
      const start = now - Math.floor(random() * 12 * DAY) - 60_000;
      const [trafficType, source, medium, campaign] = pick(TRAFFIC);
      const code = await seedSession(db(), site.id, { startedAt: iso(start), trafficType, source, medium, campaign, isBot: n % 13 === 0 });
      const views = 1 + Math.floor(random() * 4);
      for (let v = 0; v < views; v++) {
        // Some visits run on for hours, so some view a page again after local midnight.
        const at = Math.min(start + Math.floor(random() * (n % 5 === 0 ? 10 * 3_600_000 : 1_200_000)), now - 1000);
        await seedPageview(db(), site.id, code, iso(at), `${SHOP}${pick(PAGES)}?x=${v}`, random() < 0.5 ? 'Розы' : null);
      }
      if (random() < 0.6) {
        const at = Math.min(start + Math.floor(random() * 600_000), now - 1000);
        const page = pick(PAGES);
        await seedClick(db(), site.id, code, iso(at), `${SHOP}${page}`, random() < 0.7 ? 'whatsapp' : 'telegram', random() < 0.5 ? `Страница ${page}` : null);
        if (random() < 0.6) {
          await seedInquiry(db(), site.id, {
            channelId: random() < 0.7 ? wa : tg,
            contactId: await seedContact(db(), site.id, { name: `C${n}` }),
            receivedAt: iso(Math.min(at + 120_000, now - 500)),
            type: random() < 0.3 ? 'repeat' : 'new',
            sessionCode: code,
            pageUrl: `${SHOP}${page}`,
          });
        }
      }
    }
    // A click whose session is unknown (retention took it) and inquiries without a visit.
    await seedClick(db(), site.id, 'GONE0000', iso(now - 3 * DAY), `${SHOP}/roses`);
    for (let n = 0; n < 4; n++) {
      await seedInquiry(db(), site.id, { channelId: wa, contactId: await seedContact(db(), site.id, {}), receivedAt: iso(now - n * 2.5 * DAY - 1000) });
    }
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const today = () => localDay(now);
  const daysAgo = (n: number) => localDay(now - n * DAY);

  it('every report over closed and open days equals the live count, with every filter', async () => {
    const queries: FilterQuery[] = [
      { from: daysAgo(13), to: today() },
      { from: daysAgo(13), to: daysAgo(1) },
      { from: daysAgo(6), to: daysAgo(2) },
      { from: daysAgo(9), to: today(), traffic_type: 'paid_search' },
      { from: daysAgo(9), to: today(), source: 'yandex', channel: 'whatsapp' },
      { from: daysAgo(9), to: today(), campaign: '(none)' },
      { from: daysAgo(9), to: today(), page: '/roses' },
      { from: daysAgo(9), to: today(), page: `${SHOP}/roses` },
      { from: daysAgo(9), to: today(), type: 'new', match: 'code' },
      // instants: part-days at both ends are counted live
      { from: iso(now - 8.3 * DAY), to: iso(now - 1.6 * DAY) },
      { from: `${daysAgo(7)}T13:15`, to: iso(now + 60_000) },
    ];
    for (const q of queries) {
      const { live, rolled } = await both(q);
      expect(rolled, JSON.stringify(q)).toEqual(live);
    }
    const rows = await sql<{ n: number }>`select count(*)::int as n from rollup_days where site_id = ${site.id}`.execute(db());
    expect(rows.rows[0]!.n).toBeGreaterThanOrEqual(12);
  });

  it('counts a session that viewed a page on two days once, and on each day', async () => {
    const code = await seedSession(db(), site.id, { startedAt: iso(now - 5 * DAY), trafficType: 'referral', source: 'blog' });
    for (const back of [5, 4.9, 4, 3]) await seedPageview(db(), site.id, code, iso(now - back * DAY), `${SHOP}/peonies`);
    await seedClick(db(), site.id, code, iso(now - 3 * DAY), `${SHOP}/peonies`);
    // the rollups of these days exist already: this visit arrived "late", which hits cannot do,
    // so it is counted by starting over on a site with fresh rollups below
    await sql`delete from rollup_days where site_id = ${site.id}`.execute(db());
    await sql`delete from rollup_page_sessions where site_id = ${site.id}`.execute(db());
    await sql`delete from rollup_sessions where site_id = ${site.id}`.execute(db());
    await sql`delete from rollup_clicks where site_id = ${site.id}`.execute(db());
    await sql`delete from rollup_page_clicks where site_id = ${site.id}`.execute(db());
    for (const [from, to] of [[daysAgo(6), today()], [daysAgo(4), daysAgo(3)], [daysAgo(3), daysAgo(3)]]) {
      const { live, rolled } = await both({ from, to });
      expect(rolled.pages, `${from}..${to}`).toEqual(live.pages);
      expect(rolled.pages.pages.find((p) => p.path === '/peonies')?.sessions, `${from}..${to}`).toBe(1);
    }
  });

  it('counts an inquiry that arrives late for a closed day: inquiries are always counted live', async () => {
    const q = { from: daysAgo(10), to: daysAgo(1) };
    const before = await both(q);
    await seedInquiry(db(), site.id, { channelId: wa, contactId: await seedContact(db(), site.id, {}), receivedAt: iso(now - 5 * DAY), type: 'repeat' });
    const after = await both(q);
    expect(after.rolled).toEqual(after.live);
    expect(after.rolled.newRepeat.repeat.count).toBe(before.rolled.newRepeat.repeat.count + 1);
  });

  it('rolls up again in the new time zone when the site moves, and drops the old days', async () => {
    await updateSite(db(), String(site.id), { timezone: 'America/New_York' }, 'https://cm');
    site = (await findSite(db(), site.id))!;
    const { live, rolled } = await both({ from: daysAgo(11), to: today() });
    expect(rolled).toEqual(live);
    const zones = await sql<{ timezone: string }>`select distinct timezone from rollup_days where site_id = ${site.id}`.execute(db());
    expect(zones.rows).toEqual([{ timezone: 'America/New_York' }]);
  });

  it('fills a day once when reports ask for it at the same time', async () => {
    await sql`delete from rollup_days where site_id = ${site.id}`.execute(db());
    for (const table of ['rollup_sessions', 'rollup_clicks', 'rollup_page_clicks', 'rollup_page_sessions']) {
      await sql`delete from ${sql.table(table)} where site_id = ${site.id}`.execute(db());
    }
    const q = { from: daysAgo(11), to: daysAgo(1) };
    const scopes = await Promise.all([1, 2, 3].map(() => reportScope(db(), site, q)));
    const reports = await Promise.all(scopes.map((s) => channelsReport(db(), s, 'traffic_type')));
    const live = await channelsReport(db(), await reportScope(db(), site, q, { rollups: false }), 'traffic_type');
    for (const r of reports) expect(r).toEqual(live);
    expect(await channelsReport(db(), scopes[0]!, 'traffic_type')).toEqual(live);
  });
  it('rolls up in the background every closed day since the first visit, once, and the reports read the same', async () => {
    const current = (await findSite(db(), String(site.id)))!;
    const { rows } = await sql<{ first: string; last: string }>`
      select to_char((min(started_at) at time zone ${current.timezone})::date, 'YYYY-MM-DD') as first,
             to_char(((now() - interval '1 hour') at time zone ${current.timezone})::date - 1, 'YYYY-MM-DD') as last
      from sessions where site_id = ${current.id}`.execute(db());
    const { first, last } = rows[0]!;
    const expected = Math.round((Date.parse(last) - Date.parse(first)) / DAY) + 1;

    await fillClosedDays(db());
    const { rows: days } = await sql<{ n: number }>`select count(*)::int as n from rollup_days where site_id = ${current.id} and timezone = ${current.timezone}`.execute(db());
    expect(days[0]!.n).toBe(expected);
    expect((await fillClosedDays(db())).size).toBe(0);

    const q: FilterQuery = { from: iso(now - 40 * DAY), to: iso(now) };
    const [withRollups, live] = await Promise.all([true, false].map(async (rollups) => pagesReport(db(), await reportScope(db(), current, q, { rollups }), 100)));
    expect(withRollups).toEqual(live);
  });
});
