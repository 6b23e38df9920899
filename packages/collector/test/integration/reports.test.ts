import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/build-app.ts';
import { createSite } from '../../src/admin/sites.ts';
import { createChannel } from '../../src/admin/channels.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { testConfig } from '../support/config.ts';
import { seedClick, seedContact, seedInquiry, seedPageview, seedSession } from '../support/seed.ts';

const ADMIN = 'admin-token-for-report-tests';
const SHOP = 'https://shop.example.com';

type Point = { bucket: string; sessions: number; chat_clicks: number; inquiries: number; comparison?: Point };

/**
 * A Moscow site (UTC+3, so its day starts at 21:00 UTC the day before) with a handful of visits
 * whose every count is known, and a bot whose visit, clicks and inquiry must never count.
 */
describe.each(DATABASE_KINDS)('reports on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let site: { id: number; api_key: string };
  const db = () => t.database.db;

  const report = async (name: string, query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/sites/${site.id}/reports/${name}?${query}`, headers: { authorization: `Bearer ${site.api_key}` } });
    expect(res.statusCode, `${name}?${query}: ${res.body}`).toBe(200);
    return res.json();
  };
  const inquiriesPer = (points: Point[]) => points.map((p) => [p.bucket, p.inquiries]);
  const MARCH = 'from=2026-03-01&to=2026-03-31';

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig(), database: t.database, adminToken: ADMIN });
    site = await createSite(db(), { name: 'Москва', domains: [], timezone: 'Europe/Moscow' }, 'https://cm');
    const wa = (await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: '79991234567' }, 'https://cm')).id;
    const tg = (await createChannel(db(), { site: String(site.id), kind: 'telegram', provider: 'telegram', address: '@shop_bot' }, 'https://cm')).id;
    const contact = (name: string) => seedContact(db(), site.id, { name });
    const s = site.id;

    // A: 23:59 on 1 March in Moscow. B: one minute later, 00:00 on 2 March.
    const a = await seedSession(db(), s, { startedAt: '2026-03-01T20:59:00Z', trafficType: 'paid_search', source: 'yandex', medium: 'cpc', campaign: 'spring' });
    await seedPageview(db(), s, a, '2026-03-01T20:59:00Z', `${SHOP}/roses?utm_source=yandex`);
    await seedPageview(db(), s, a, '2026-03-01T20:59:10Z', `${SHOP}/roses/red`, 'Красные розы');
    await seedClick(db(), s, a, '2026-03-01T20:59:20Z', `${SHOP}/roses/red`, 'whatsapp', 'Красные розы');
    await seedInquiry(db(), s, { channelId: wa, contactId: await contact('A'), receivedAt: '2026-03-01T20:59:30Z', sessionCode: a, pageUrl: `${SHOP}/roses/red`, pageTitle: 'Красные розы' });

    const b = await seedSession(db(), s, { startedAt: '2026-03-01T21:00:00Z', trafficType: 'paid_search', source: 'yandex', medium: 'cpc', campaign: 'autumn' });
    await seedPageview(db(), s, b, '2026-03-01T21:00:00Z', `${SHOP}/roses`);
    await seedClick(db(), s, b, '2026-03-01T21:01:00Z', `${SHOP}/roses`, 'telegram');
    await seedInquiry(db(), s, { channelId: tg, contactId: await contact('B'), receivedAt: '2026-03-01T21:05:00Z', type: 'repeat', match: 'start', sessionCode: b, pageUrl: `${SHOP}/roses` });

    const c = await seedSession(db(), s, { startedAt: '2026-03-05T10:00:00Z', trafficType: 'organic_social', source: 'vk', medium: 'social' });
    await seedPageview(db(), s, c, '2026-03-05T10:00:00Z', `${SHOP}/tulips`);
    await seedClick(db(), s, c, '2026-03-05T10:01:00Z', `${SHOP}/tulips`);

    const d = await seedSession(db(), s, { startedAt: '2026-03-10T10:00:00Z', trafficType: 'direct' });
    await seedPageview(db(), s, d, '2026-03-10T10:00:00Z', `${SHOP}/`);
    await seedInquiry(db(), s, { channelId: wa, contactId: await contact('D'), receivedAt: '2026-03-10T12:00:00Z' });
    await seedInquiry(db(), s, { channelId: wa, contactId: await contact('Ad'), receivedAt: '2026-03-20T12:00:00Z', match: 'ad_referral', ad: { source_id: '1', source_url: null, headline: 'Розы', ctwa_clid: 'x' } });

    const bot = await seedSession(db(), s, { startedAt: '2026-03-03T10:00:00Z', trafficType: 'paid_search', source: 'google', medium: 'cpc', isBot: true });
    await seedPageview(db(), s, bot, '2026-03-03T10:00:00Z', `${SHOP}/roses`);
    await seedClick(db(), s, bot, '2026-03-03T10:00:05Z', `${SHOP}/roses`);
    await seedInquiry(db(), s, { channelId: wa, contactId: await contact('Bot'), receivedAt: '2026-03-03T10:01:00Z', sessionCode: bot, pageUrl: `${SHOP}/roses` });

    // 2025, for quarters and comparisons. 31 March 21:30 UTC is already 1 April in Moscow: Q2.
    for (const at of ['2025-01-15T12:00:00Z', '2025-02-10T12:00:00Z', '2025-03-31T21:30:00Z', '2025-05-05T12:00:00Z', '2025-11-11T12:00:00Z']) {
      await seedInquiry(db(), s, { channelId: wa, contactId: await contact(at), receivedAt: at });
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('new-repeat: counts and shares, bots left out, filters applied', async () => {
    expect(await report('new-repeat', MARCH)).toEqual({
      period: { from: '2026-03-01', to: '2026-03-31', starts_at: '2026-02-28T21:00:00.000Z', ends_at: '2026-03-31T21:00:00.000Z', timezone: 'Europe/Moscow' },
      total: 4,
      new: { count: 3, share: 0.75 },
      repeat: { count: 1, share: 0.25 },
    });
    expect(await report('new-repeat', `${MARCH}&channel=telegram`)).toMatchObject({ total: 1, repeat: { count: 1, share: 1 } });
    expect(await report('new-repeat', `${MARCH}&traffic_type=organic_social`)).toMatchObject({ total: 0, new: { count: 0, share: 0 } });
  });

  it('match-quality: every method with its share, and how many lost their code', async () => {
    const r = await report('match-quality', MARCH);
    expect(r.total).toBe(4);
    expect(r.methods).toEqual([
      { method: 'start', count: 1, share: 0.25 },
      { method: 'code', count: 1, share: 0.25 },
      { method: 'ad_referral', count: 1, share: 0.25 },
      { method: 'probable', count: 0, share: 0 },
      { method: 'none', count: 1, share: 0.25 },
    ]);
    expect(r.lost_code).toEqual({ count: 1, share: 0.25 });
  });

  it('pages: sessions that viewed the page, clicks on it, inquiries from it, the click → inquiry rate', async () => {
    const r = await report('pages', MARCH);
    expect(r.pages).toEqual([
      { path: '/roses', title: null, sessions: 2, chat_clicks: 1, inquiries: 1, click_to_inquiry: 1 },
      { path: '/roses/red', title: 'Красные розы', sessions: 1, chat_clicks: 1, inquiries: 1, click_to_inquiry: 1 },
      { path: '/tulips', title: null, sessions: 1, chat_clicks: 1, inquiries: 0, click_to_inquiry: 0 },
    ]);
    expect(r.without_page).toBe(2);
    expect((await report('pages', `${MARCH}&limit=1`)).pages.map((p: { path: string }) => p.path)).toEqual(['/roses']);
    expect((await report('pages', `${MARCH}&page=/roses/`)).pages.map((p: { path: string }) => p.path)).toEqual(['/roses/red']);
    const paid = await report('pages', `${MARCH}&traffic_type=paid_search`);
    expect(paid.pages.map((p: { path: string; sessions: number }) => [p.path, p.sessions])).toEqual([['/roses', 2], ['/roses/red', 1]]);
    expect(paid.without_page).toBe(0);
  });

  it('channels: traffic type → source → campaign, with conversion', async () => {
    const top = await report('channels', MARCH);
    expect(top.level).toBe('traffic_type');
    expect(top.rows).toEqual([
      { key: 'paid_search', sessions: 2, chat_clicks: 2, inquiries: 2, conversion: 1 },
      { key: 'direct', sessions: 1, chat_clicks: 0, inquiries: 0, conversion: 0 },
      { key: 'organic_social', sessions: 1, chat_clicks: 1, inquiries: 0, conversion: 0 },
    ]);
    expect(top.total).toEqual({ sessions: 4, chat_clicks: 3, inquiries: 2, conversion: 0.5 });
    expect(top.unattributed_inquiries).toBe(2);

    const sources = await report('channels', `${MARCH}&level=source&traffic_type=paid_search`);
    expect(sources.rows).toEqual([{ key: 'yandex', sessions: 2, chat_clicks: 2, inquiries: 2, conversion: 1 }]);
    const campaigns = await report('channels', `${MARCH}&level=campaign&traffic_type=paid_search&source=yandex`);
    expect(campaigns.rows).toEqual([
      { key: 'autumn', sessions: 1, chat_clicks: 1, inquiries: 1, conversion: 1 },
      { key: 'spring', sessions: 1, chat_clicks: 1, inquiries: 1, conversion: 1 },
    ]);
    const direct = await report('channels', `${MARCH}&level=source&traffic_type=direct`);
    expect(direct.rows).toEqual([{ key: null, sessions: 1, chat_clicks: 0, inquiries: 0, conversion: 0 }]);
    const telegram = await report('channels', `${MARCH}&channel=telegram`);
    expect(telegram.rows[0]).toEqual({ key: 'paid_search', sessions: 2, chat_clicks: 1, inquiries: 1, conversion: 0.5 });
  });

  it("dynamics: a Moscow day starts at 21:00 UTC", async () => {
    const r = await report('dynamics', 'from=2026-03-01&to=2026-03-02');
    expect(r.granularity).toBe('day');
    expect(r.comparison).toBeNull();
    expect(r.points).toEqual([
      { bucket: '2026-03-01', sessions: 1, chat_clicks: 1, inquiries: 1 },
      { bucket: '2026-03-02', sessions: 1, chat_clicks: 1, inquiries: 1 },
    ]);
    const split = await report('dynamics', 'from=2026-03-01&to=2026-03-10&granularity=week&split=traffic_type');
    expect(split.points.map((p: Point) => p.bucket)).toEqual(['2026-02-23', '2026-03-02', '2026-03-09']);
    const byType = Object.fromEntries(split.split.map((s: { traffic_type: string | null; points: Point[] }) => [s.traffic_type, s.points.map((p) => [p.sessions, p.chat_clicks, p.inquiries])]));
    expect(byType).toEqual({
      paid_search: [[1, 1, 1], [1, 1, 1], [0, 0, 0]],
      organic_social: [[0, 0, 0], [1, 1, 0], [0, 0, 0]],
      direct: [[0, 0, 0], [0, 0, 0], [1, 0, 0]],
      null: [[0, 0, 0], [0, 0, 0], [0, 0, 1]],
    });
  });

  it('dynamics with a page: the sessions that viewed a page under the prefix, their landing view included', async () => {
    const sessionsPer = async (query: string) => (await report('dynamics', query)).points.map((p: Point) => [p.bucket, p.sessions]);
    expect(await sessionsPer('from=2026-03-01&to=2026-03-02&page=/roses')).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 1],
    ]);
    // B's one view of /roses is its landing, stamped at the instant its session and this period start.
    expect(await sessionsPer('from=2026-03-02&to=2026-03-02&page=/roses')).toEqual([['2026-03-02', 1]]);
    // /roses/red is under /roses, and only A viewed it; the bot's /roses never counts.
    expect(await sessionsPer('from=2026-03-01&to=2026-03-02&page=/roses/red')).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 0],
    ]);
    expect(await sessionsPer(`${MARCH}&granularity=month&page=/tulips`)).toEqual([['2026-03-01', 1]]);
    expect(await sessionsPer(`${MARCH}&granularity=month&page=/lilies`)).toEqual([['2026-03-01', 0]]);
  });

  it('dynamics with a page given as a URL prefix: the address as viewed, query and host included', async () => {
    const sessions = async (page: string) => (await report('dynamics', `${MARCH}&granularity=month&page=${encodeURIComponent(page)}`)).points[0].sessions;
    expect(await sessions(`${SHOP}/roses`)).toBe(2); // A and B
    expect(await sessions(`${SHOP}/roses?utm_source=yandex`)).toBe(1); // A landed with it
    expect(await sessions(`${SHOP}/roses/`)).toBe(1); // A's /roses/red
    expect(await sessions(SHOP)).toBe(4); // every human visit
    expect(await sessions('https://other.example.com/roses')).toBe(0);
    expect(await sessions(`${SHOP}/roses#reviews`)).toBe(0);
  });

  it('dynamics: quarter buckets in local time, an empty quarter is 0', async () => {
    const r = await report('dynamics', 'from=2025-01-01&to=2025-12-31&granularity=quarter');
    expect(inquiriesPer(r.points)).toEqual([
      ['2025-01-01', 2],
      ['2025-04-01', 2],
      ['2025-07-01', 0],
      ['2025-10-01', 1],
    ]);
    const month = await report('dynamics', 'from=2025-03-15&to=2025-04-15&granularity=month');
    expect(inquiriesPer(month.points)).toEqual([
      ['2025-03-01', 0],
      ['2025-04-01', 1],
    ]);
  });

  it('dynamics: the comparison period stands beside the period bucket by bucket', async () => {
    const prev = await report('dynamics', 'from=2025-04-01&to=2025-06-30&granularity=month&compare=previous');
    expect(prev.comparison).toMatchObject({ from: '2025-01-01', to: '2025-03-31' });
    expect(prev.points.map((p: Point) => [p.bucket, p.inquiries, p.comparison!.bucket, p.comparison!.inquiries])).toEqual([
      ['2025-04-01', 1, '2025-01-01', 1],
      ['2025-05-01', 1, '2025-02-01', 1],
      ['2025-06-01', 0, '2025-03-01', 0],
    ]);

    const year = await report('dynamics', 'from=2026-01-01&to=2026-03-31&granularity=month&compare=year');
    expect(year.comparison).toMatchObject({ from: '2025-01-01', to: '2025-03-31' });
    expect(year.points.map((p: Point) => [p.bucket, p.inquiries, p.comparison!.bucket, p.comparison!.inquiries])).toEqual([
      ['2026-01-01', 0, '2025-01-01', 1],
      ['2026-02-01', 0, '2025-02-01', 1],
      ['2026-03-01', 4, '2025-03-01', 0],
    ]);

    const weeks = await report('dynamics', 'from=2026-03-02&to=2026-03-15&granularity=week&compare=previous');
    expect(weeks.comparison).toMatchObject({ from: '2026-02-16', to: '2026-03-01' });
    expect(weeks.points.map((p: Point) => [p.bucket, p.inquiries, p.comparison!.bucket, p.comparison!.inquiries])).toEqual([
      ['2026-03-02', 1, '2026-02-16', 0],
      ['2026-03-09', 1, '2026-02-23', 1],
    ]);

    // 31 days of March against the 31 before: five weeks touched against six, the sixth compared with zeros.
    const uneven = await report('dynamics', `${MARCH}&granularity=week&compare=previous`);
    expect(uneven.comparison).toMatchObject({ from: '2026-01-29', to: '2026-02-28' });
    expect(uneven.points).toHaveLength(6);
    expect(uneven.points.map((p: Point) => p.comparison!.bucket)).toEqual(['2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02']);
    expect(uneven.points[5].comparison).toEqual({ bucket: '2026-03-02', sessions: 0, chat_clicks: 0, inquiries: 0 });
  });

  it('refuses bad report input with a 400 that says what is wrong', async () => {
    const bad: Array<[string, RegExp]> = [
      ['dynamics?granularity=hour', /granularity must be one of day, week, month, quarter/],
      ['dynamics?compare=lastweek', /compare must be one of previous, year/],
      ['dynamics?split=source', /split must be one of traffic_type/],
      ['channels?level=medium', /level must be one of traffic_type, source, campaign/],
      ['pages?limit=1000', /limit/],
      ['new-repeat?from=2026-03-10&to=2026-03-01', /from must be before to/],
      ['match-quality?from=2020-01-01&to=2026-01-01', /three years at most/],
      ['new-repeat?type=old', /type must be one of new, repeat/],
      ['new-repeat?cursor=x', /additional properties/],
    ];
    for (const [path, message] of bad) {
      const res = await app.inject({ method: 'GET', url: `/v1/sites/${site.id}/reports/${path}`, headers: { authorization: `Bearer ${site.api_key}` } });
      expect(res.statusCode, path).toBe(400);
      expect(res.json(), path).toEqual({ error: 'bad_request', message: expect.stringMatching(message) });
    }
  });

  it('defaults to the last 30 days, today included', async () => {
    const r = await report('new-repeat', '');
    const days = (Date.parse(r.period.to) - Date.parse(r.period.from)) / 86_400_000;
    expect(days).toBe(29);
    expect(Date.parse(r.period.ends_at)).toBeGreaterThan(Date.now());
  });
});
