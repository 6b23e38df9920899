// The snippet against the real collector, as a customer's site uses it: the site's page on its
// own origin loads /s.js from the collector, opened from an e-mail campaign link. Asserts the
// tagged links, then reads what the collector stored.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tagHref, type TagOptions } from '../packages/shared/src/links.ts';
import { defaultTemplate } from '../packages/shared/src/templates.ts';
import { isCode } from '../packages/shared/src/visit-code.ts';
import { DEMO } from '../packages/collector/src/demo/site.ts';
import { openDatabase } from '../packages/collector/src/db/open.ts';
import { startServer, type RunningServer } from '../packages/collector/test/support/processes.ts';
import { tempDir } from '../packages/collector/test/support/databases.ts';
import { describeBrowser, launchChromium } from './support/browser.ts';
import { fixtureLinks, fixturePage, type Accounts } from './fixtures/snippet-page.ts';
import { serve } from './fixtures/http.ts';

// The demo site's numbers and usernames (created on the collector's first start).
const ACCOUNTS: Accounts = { wa: DEMO.whatsapp, tg: DEMO.telegramUser, bot: DEMO.telegramBot };
const LINKS = fixtureLinks(ACCOUNTS);
const LANDING = '/bouquets?utm_source=newsletter&utm_medium=email&utm_campaign=spring&gclid=TeSt123';
const REFERRER = 'https://mail.example.com/';

describeBrowser('the snippet against the running collector', () => {
  let server: RunningServer;
  let browser: Browser;
  let site: { url: string; close(): Promise<void> };
  let page: Page;
  let code: string;
  const dir = tempDir();
  const problems: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ DATA_DIR: dir.path }), launchChromium()]);
    const key = /data-site="([^"]+)"/.exec(server.demoTag)![1]!;
    site = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixturePage({ accounts: ACCOUNTS, src: `${server.url}/s.js`, site: key }));
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await site?.close();
    dir.remove();
  });

  const hrefs = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#links a')].map((a) => [a.id, a.getAttribute('href')])));
  const options = (): Omit<TagOptions, 'text'> => ({ code, template: defaultTemplate('en'), wa: [ACCOUNTS.wa], tg: [ACCOUNTS.tg, ACCOUNTS.bot], bots: [] });
  // Resolves when the collector has answered a hit of this type: it answers only once stored.
  const stored = (t: string) =>
    page.waitForResponse((r) => r.url() === `${server.url}/v1/hit` && r.request().method() === 'POST' && r.request().postDataJSON()?.t === t);

  it('tags every link form with the site settings from the collector', async () => {
    const context = await browser.newContext();
    await context.route(/^https:\/\/wa\.me\//, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: 'messenger' }));
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    const pv = stored('pv');
    await page.goto(site.url + LANDING, { referer: REFERRER });
    expect((await pv).status()).toBe(200);
    code = await page.evaluate(() => (window as unknown as { chatmark: { code(): string } }).chatmark.code());
    expect(isCode(code)).toBe(true);
    const want = Object.fromEntries(LINKS.map((l) => [l.id, (!l.ignore && tagHref(l.href, { ...options(), text: l.text })) || l.href]));
    await expect.poll(hrefs).toEqual(want);
    expect(want['wa-me']).toBe(`https://wa.me/${ACCOUNTS.wa}?text=Ref%3A%20${code}`);
    expect(want['tg-bot']).toBe(`https://t.me/${ACCOUNTS.bot}?start=${code}`);
  });

  it('tags a link added later', async () => {
    const href = `https://api.whatsapp.com/send?phone=${ACCOUNTS.wa}`;
    await page.evaluate((href) => document.getElementById('late')!.insertAdjacentHTML('beforeend', `<a id="late-a" href="${href}">late</a>`), href);
    await expect.poll(() => page.getAttribute('#late-a', 'href')).toBe(tagHref(href, options()));
  });

  it('records an SPA navigation and a chat click', async () => {
    const pv = stored('pv');
    await page.evaluate(() => {
      history.pushState({}, '', '/checkout');
      document.title = 'Оформление заказа';
    });
    expect((await pv).status()).toBe(200);
    await page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));
    const click = stored('click');
    await page.click('#wa-me');
    expect((await click).status()).toBe(204);
    expect(problems).toEqual([]);
  });

  it('stored the session with its source, landing page, screen, OS and language, its page views and the click', async () => {
    const browserSide = await page.evaluate(() => ({ w: window.screen.width, h: window.screen.height, lang: navigator.language }));
    await page.context().close();
    await server.stop();
    const database = await openDatabase({ dataDir: dir.path });
    try {
      // The demo site comes with generated visits: this test's are the ones under its visitor id.
      const visitor = await database.db.selectFrom('sessions').select('visitor_id').where('code', '=', code).executeTakeFirstOrThrow();
      const sessions = await database.db.selectFrom('sessions').selectAll().where('visitor_id', '=', visitor.visitor_id).execute();
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({
        code,
        landing_url: site.url + LANDING,
        landing_title: 'Florista — букеты',
        referrer: REFERRER,
        source: 'newsletter',
        medium: 'email',
        campaign: 'spring',
        click_ids: { gclid: 'TeSt123' },
        screen_width: browserSide.w,
        screen_height: browserSide.h,
        viewport_width: 1280,
        viewport_height: 720,
        os: 'Linux',
        browser: expect.stringMatching(/Chrom/),
        language: browserSide.lang,
        timezone: expect.any(String),
      });
      expect(sessions[0]!.visitor_id).toMatch(/^[0-9A-Z]{32}$/);
      const mine = sessions.map((s) => s.code);
      const pageviews = await database.db.selectFrom('pageviews').select(['session_code', 'path', 'title']).where('session_code', 'in', mine).orderBy('ts').execute();
      expect(pageviews).toEqual([
        { session_code: code, path: '/bouquets', title: 'Florista — букеты' },
        { session_code: code, path: '/checkout', title: 'Оформление заказа' },
      ]);
      const clicks = await database.db.selectFrom('chat_clicks').select(['session_code', 'messenger', 'target', 'page_path']).where('session_code', 'in', mine).execute();
      expect(clicks).toEqual([{ session_code: code, messenger: 'whatsapp', target: ACCOUNTS.wa, page_path: '/checkout' }]);
    } finally {
      await database.close();
    }
  });
});
