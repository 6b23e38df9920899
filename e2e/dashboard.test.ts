// The analysts' dashboard in a real Chromium against `chatmark serve` with its generated demo
// site: sign in, reports, the journal with a filter, an inquiry's detail, tags and status, the
// CSV, and the same on a phone-sized screen. Screenshots go to test-results/dashboard/.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../packages/collector/test/support/processes.ts';
import { copyPGliteTemplate, tempDir } from '../packages/collector/test/support/databases.ts';
import { describeBrowser, launchChromium } from './support/browser.ts';

const SHOTS = 'test-results/dashboard';
const poll = { polling: 100 } as const;

describeBrowser('the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let demoId: number;
  const problems: string[] = [];
  const dir = tempDir();
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    copyPGliteTemplate(dir.path);
    [server, browser] = await Promise.all([startServer({ DATA_DIR: dir.path, DEMO_DATA: '1' }), launchChromium()]);
    // A second site, so the admin token sees a site picker.
    const res = await fetch(`${server.url}/v1/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Second shop', domains: ['second.example'] }),
    });
    expect(res.status).toBe(201);
    const { sites } = await api<{ sites: Array<{ id: number; key: string }> }>('/v1/admin/sites');
    const key = /data-site="([^"]+)"/.exec(server.demoTag)![1];
    demoId = sites.find((s) => s.key === key)!.id;
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    // The page is served with a strict CSP: a violation (an inline style or script) shows up here.
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  it('is served at / with a strict CSP and cacheable assets', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
    const etag = res.headers.get('etag')!;
    expect((await fetch(`${server.url}/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const js = /src="(\/dashboard\/app\.js\?v=[^"]+)"/.exec(await res.text())![1]!;
    const asset = await fetch(`${server.url}${js}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${server.url}/demo`)).status).toBe(200);
    expect((await fetch(`${server.url}/docs/json`)).status).toBe(200);
  });

  it('signs in with the admin token, picks the demo site and shows its reports', async () => {
    await page.goto(`${server.url}/`);
    await page.fill('input[name=token]', 'not-a-key');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error[role=alert]');
    problems.length = 0; // the refused key's 401 is logged by Chromium as a failed request
    await page.fill('input[name=token]', server.adminToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('select.site-picker');
    expect(await page.locator('select.site-picker option').count()).toBe(2);
    await page.selectOption('select.site-picker', String(demoId));
    await page.waitForFunction(() => /^[1-9]/.test(document.querySelector('[data-kpi=inquiries] .kpi-value')?.textContent ?? ''), undefined, poll);
    await page.waitForSelector('#dynamics polyline');
    await page.waitForSelector('#channels tbody tr');
    await page.waitForSelector('#pages tbody tr');
    await page.waitForSelector('#match-quality tr[data-method=code]');
    await page.waitForSelector('#new-repeat .donut');
    await page.screenshot({ path: `${SHOTS}/reports.png`, fullPage: true });
  });

  it('switches the dynamics to weeks and compares with the previous period', async () => {
    const days = Number(await page.getAttribute('#dynamics [data-granularity=day]', 'data-points'));
    expect(days).toBe(30);
    await page.click('#dynamics [data-name=granularity] button[data-value=week]');
    await page.waitForSelector('#dynamics [data-granularity=week]');
    const weeks = Number(await page.getAttribute('#dynamics [data-granularity=week]', 'data-points'));
    expect(weeks).toBeGreaterThanOrEqual(5);
    expect(weeks).toBeLessThanOrEqual(6);
    // previous period is on by default: two lines, the second dashed
    expect(await page.locator('#dynamics .series').count()).toBe(2);
    expect(await page.locator('#dynamics .series.dashed').count()).toBe(1);
  });

  it('drills the channels down from traffic type to source', async () => {
    const first = await page.getAttribute('#channels tbody tr.clickable >> nth=0', 'data-key');
    await page.click('#channels tbody tr.clickable >> nth=0');
    await page.waitForSelector('#channels table[data-level=source]');
    expect(await page.textContent('#channels .crumbs')).toContain('›');
    const { rows } = await api<{ rows: Array<{ key: string | null }> }>(`/v1/sites/${demoId}/reports/channels?level=source&traffic_type=${first}`);
    expect(await page.locator('#channels tbody tr').count()).toBe(rows.length);
  });

  it('shows the journal and filters it by channel', async () => {
    await page.click('a[href="#journal"]');
    await page.waitForSelector('.inquiries tbody tr[data-id]');
    const all = await page.locator('.inquiries tbody tr[data-id]').count();
    expect(all).toBeGreaterThan(10);
    expect(await page.locator('.inquiries tbody tr[data-channel=whatsapp]').count()).toBeGreaterThan(0);
    await page.click('.filters .toggle');
    await page.selectOption('select[name=channel]', 'telegram');
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('.inquiries tbody tr[data-id]')];
        return rows.length > 0 && rows.every((r) => r.getAttribute('data-channel') === 'telegram');
      },
      undefined,
      poll,
    );
    const { items } = await api<{ items: unknown[] }>(`/v1/sites/${demoId}/inquiries?channel=telegram&limit=50&from=${await page.inputValue('input[name=from]')}&to=${await page.inputValue('input[name=to]')}`);
    expect(await page.locator('.inquiries tbody tr[data-id]').count()).toBe(items.length);
    await page.screenshot({ path: `${SHOTS}/journal-telegram.png`, fullPage: true });

    // The address is the view: the site and the filter, the period left relative.
    const address = new URL(page.url());
    expect(Object.fromEntries(address.searchParams)).toEqual({ site: String(demoId), channel: 'telegram' });
    expect(address.hash).toBe('#journal');
    // Opened again (a bookmark, a link sent to a colleague), it shows the same inquiries.
    const again = await page.context().newPage();
    again.on('pageerror', (e) => problems.push(e.message));
    await again.goto(address.href);
    await again.waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('.inquiries tbody tr[data-id]')];
        return rows.length === n && rows.every((r) => r.getAttribute('data-channel') === 'telegram');
      },
      items.length,
      poll,
    );
    expect(await again.inputValue('select[name=channel]')).toBe('telegram');
    expect(await again.inputValue('select.site-picker')).toBe(String(demoId));
    await again.close();
  });

  it('downloads the filtered journal as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(download.suggestedFilename()).toMatch(/^inquiries-\d+-\d{4}-\d\d-\d\d\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.trim().split(/\r?\n/);
    expect(lines.length).toBe((await page.locator('.inquiries tbody tr[data-id]').count()) + 1);
    expect(lines.slice(1).every((l) => l.includes('telegram'))).toBe(true);
  });

  it('opens an inquiry with its visit path and history, and saves a tag and a status', async () => {
    const id = Number(await page.getAttribute('.inquiries tbody tr[data-id] >> nth=0', 'data-id'));
    await page.click('.inquiries tbody tr[data-id] >> nth=0');
    await page.waitForSelector('#inquiry .detail');
    const detail = await api<{ path: Array<{ url: string }>; history: unknown[]; match: { method: string } }>(`/v1/sites/${demoId}/inquiries/${id}`);
    expect(detail.match.method).toBe('start');
    expect(detail.path.length).toBeGreaterThan(0);
    expect(await page.locator('#visit-path li').count()).toBe(detail.path.length);
    expect(await page.textContent('#visit-path')).toContain(detail.path[0]!.url);
    expect(await page.locator('#history li').count()).toBe(detail.history.length);

    await page.fill('#tags input[name=tag]', 'e2e-vip');
    await page.press('#tags input[name=tag]', 'Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('#tags .tag')].some((t) => t.textContent?.startsWith('e2e-vip')), undefined, poll);
    await page.selectOption('#inquiry select[name=status]', 'sale');
    await page.waitForFunction(() => document.querySelector('#inquiry .marks [role=status]')?.textContent === 'Saved', undefined, poll);
    await expect.poll(async () => (await api<{ tags: string[]; status: string }>(`/v1/sites/${demoId}/inquiries/${id}`)).status).toBe('sale');
    expect((await api<{ tags: string[] }>(`/v1/sites/${demoId}/inquiries/${id}`)).tags).toContain('e2e-vip');
    // the journal row shows the change without a reload
    expect(await page.textContent(`.inquiries tr[data-id="${id}"]`)).toContain('e2e-vip');
    await page.screenshot({ path: `${SHOTS}/inquiry.png` });
    await page.click('#inquiry button.icon');
    await page.waitForSelector('#inquiry', { state: 'detached' });
  });

  it('switches to Russian and back', async () => {
    await page.click('.top .lang button:has-text("RU")');
    await page.waitForFunction(() => document.querySelector('a[href="#journal"]')?.textContent === 'Журнал', undefined, poll);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await page.click('.top .lang button:has-text("EN")');
    await page.waitForFunction(() => document.querySelector('a[href="#journal"]')?.textContent === 'Journal', undefined, poll);
  });

  it('is readable on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ru-RU' });
    const phone = await context.newPage();
    phone.on('pageerror', (e) => problems.push(e.message));
    await phone.goto(`${server.url}/`);
    // Russian from the browser's language, before any choice
    await phone.waitForSelector('text=Войти');
    await phone.fill('input[name=token]', server.adminToken);
    await phone.click('button[type=submit]');
    await phone.waitForSelector('select.site-picker');
    await phone.selectOption('select.site-picker', String(demoId));
    await phone.waitForSelector('#dynamics polyline');
    await phone.waitForSelector('#channels tbody tr');
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await phone.screenshot({ path: `${SHOTS}/phone-reports.png`, fullPage: true });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.click('a[href="#journal"]');
    await phone.waitForSelector('.inquiries tbody tr[data-id]');
    expect(await overflow()).toBeLessThanOrEqual(0);
    // rows are cards: a labelled line per field, not a table wider than the screen
    expect(await phone.evaluate(() => getComputedStyle(document.querySelector('.inquiries tbody tr')!).display)).toBe('block');
    await phone.screenshot({ path: `${SHOTS}/phone-journal.png` });
    await phone.click('.inquiries tbody tr[data-id] >> nth=0');
    await phone.waitForSelector('#inquiry .detail');
    await phone.screenshot({ path: `${SHOTS}/phone-inquiry.png` });
    await context.close();
  });

  it('signs out, and had no page errors or CSP violations', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('input[name=token]');
    expect(await page.evaluate(() => localStorage.getItem('chatmark.token'))).toBeNull();
    expect(problems).toEqual([]);
  });
});
