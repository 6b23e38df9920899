// The whole path in a real browser: a visit from an ad tags the WhatsApp link, the text the
// customer would send arrives as a signed Meta webhook, and the journal shows where it came from.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../packages/collector/test/support/processes.ts';
import { copyPGliteTemplate, tempDir } from '../packages/collector/test/support/databases.ts';
import { hmacHex, metaTextWebhook } from '../packages/collector/test/support/webhooks.ts';
import { describeBrowser, launchChromium } from './support/browser.ts';

const APP_SECRET = 'e2e-meta-app-secret';
const DAY = 86_400_000;

describeBrowser('a WhatsApp inquiry from a tagged link, end to end', () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = tempDir();
  let siteId: number;
  let channelId: string;
  const auth = () => ({ authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    copyPGliteTemplate(dir.path);
    [server, browser] = await Promise.all([startServer({ DATA_DIR: dir.path }), launchChromium()]);
    const { sites } = (await (await fetch(`${server.url}/v1/admin/sites`, { headers: auth() })).json()) as { sites: Array<{ id: number; key: string }> };
    const key = /data-site="([^"]+)"/.exec(server.demoTag)![1];
    siteId = sites.find((s) => s.key === key)!.id;
    const res = await fetch(`${server.url}/v1/admin/sites/${siteId}/channels`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ kind: 'whatsapp', provider: 'meta', address: '15550001234', secret: APP_SECRET }),
    });
    channelId = ((await res.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  /** Opens the demo page in a fresh browser (a new visitor) and returns what the tagged wa.me link would send. */
  async function visit(query: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo?${query}`, { referer: 'https://www.google.com/' });
    await page.waitForFunction(() => /[0-9A-Z]{8}$/.test(new URL((document.getElementById('wa-me') as HTMLAnchorElement).href).searchParams.get('text') ?? ''), undefined, { polling: 100 });
    const text = await page.evaluate(() => new URL((document.getElementById('wa-me') as HTMLAnchorElement).href).searchParams.get('text')!);
    const screen = await page.evaluate(() => `${window.screen.width}x${window.screen.height}`);
    const code = await page.evaluate(() => (window as unknown as { chatmark: { code(): string } }).chatmark.code());
    await context.close();
    return { text, screen, code };
  }

  const deliver = async (id: string, text: string, ts: Date) => {
    const body = metaTextWebhook({ id, text, from: '491701234567', userId: 'DE.99887766', name: 'Lena', ts });
    const res = await fetch(`${server.url}/v1/webhooks/meta/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmacHex('sha256', APP_SECRET, body)}` },
      body,
    });
    expect(res.status).toBe(200);
  };
  // The demo site comes with generated inquiries: this test's arrive through its Meta channel.
  const journal = async () =>
    ((await (await fetch(`${server.url}/v1/sites/${siteId}/inquiries?provider=meta`, { headers: auth() })).json()) as { items: Array<Record<string, any>> }).items;

  it('records a new inquiry with the visit’s source, page and device, then a dialog, then a repeat', async () => {
    const first = await visit('utm_source=google&utm_medium=cpc&utm_campaign=spring_sale');
    expect(first.text).toContain(first.code);
    const t0 = new Date(Date.now() + 60_000);
    await deliver('wamid.e2e.1', first.text, t0);

    let items = await journal();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'new',
      channel: 'whatsapp',
      provider: 'meta',
      match: { method: 'code', confidence: 1 },
      first_message: first.text,
      contact: { name: 'Lena', phone: '491701234567' },
      session: { code: first.code, source: 'google', medium: 'cpc', campaign: 'spring_sale', traffic_type: 'paid_search', os: 'Linux', screen: first.screen },
    });
    expect(items[0]!.page.url).toContain('/demo?utm_source=google');

    await deliver('wamid.e2e.2', 'И ещё вопрос про доставку', new Date(t0.getTime() + DAY));
    items = await journal();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ message_count: 2 });

    const second = await visit('utm_source=vk&utm_medium=social');
    expect(second.code).not.toBe(first.code);
    await deliver('wamid.e2e.3', second.text, new Date(t0.getTime() + 7 * DAY + 60_000));
    items = await journal();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ type: 'repeat', match: { method: 'code' }, session: { code: second.code, source: 'vk' } });
  });

  it('the demo page’s “simulate the message” delivers through the demo channel', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/demo?utm_source=newsletter&utm_medium=email`);
    await page.waitForFunction(() => /[0-9A-Z]{8}$/.test(new URL((document.getElementById('wa-me') as HTMLAnchorElement).href).searchParams.get('text') ?? ''), undefined, { polling: 100 });
    await page.click('#simulate');
    await page.waitForSelector('#simulate-result:not([hidden])');
    const result = await page.textContent('#simulate-result');
    expect(result).toMatch(/Inquiry #\d+ \(new\), matched by code/);
    expect(result).toContain('newsletter / email');
    await page.close();
  });
});
