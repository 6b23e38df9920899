import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from '../packages/collector/test/support/processes.ts';
import { tempDir } from '../packages/collector/test/support/databases.ts';

describeBrowser('the demo page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = tempDir();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ DATA_DIR: dir.path }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  it('loads with the demo site tag and its messenger links, without page errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${server.url}/demo`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toContain('Chatmark demo');
    const key = /data-site="([a-z0-9]+)"/.exec(server.demoTag)![1];
    expect(await page.locator('script[data-site]').getAttribute('data-site')).toBe(key);
    expect(await page.locator('a[href*="wa.me"], a[href*="whatsapp"]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('a[href*="t.me"], a[href^="tg:"]').count()).toBeGreaterThanOrEqual(2);
    const script = await page.request.get(`${server.url}/s.js`);
    expect(script.status()).toBe(200);
    expect(script.headers()['content-type']).toContain('javascript');
    expect(errors).toEqual([]);
    await page.screenshot({ path: 'test-results/demo.png', fullPage: true });
  });
});
