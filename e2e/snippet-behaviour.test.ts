// The snippet in real Chromium against a stub collector: every link form, living pages, SPA
// navigation, window.open, code replacement, opt-out, DNT/GPC, a strict CSP and retries. The
// stub records exactly what the snippet sends; e2e/snippet.test.ts runs the real collector.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { tagHref, type TagOptions } from '../packages/shared/src/links.ts';
import { isCode, makeCode } from '../packages/shared/src/visit-code.ts';
import type { SnippetSettings } from '../packages/shared/src/hit.ts';
import { DEFAULT_TEMPLATE } from '../packages/snippet/src/options.ts';
import { describeBrowser, launchChromium } from './support/browser.ts';
import { fixtureLinks, fixturePage, type Accounts } from './fixtures/snippet-page.ts';
import { serve } from './fixtures/http.ts';
import { stubCollector, type StubCollector } from './fixtures/stub-collector.ts';

const ACCOUNTS: Accounts = { wa: '79991234567', tg: 'florista_shop', bot: 'florista_helper' };
const SETTINGS: SnippetSettings = {
  tpl: '{text}\n\nНомер обращения: {code}',
  wa: [ACCOUNTS.wa],
  tg: [ACCOUNTS.tg, ACCOUNTS.bot],
  // "florista_helper" has no "bot" suffix: the settings say it is one
  bots: [ACCOUNTS.bot],
};
const LINKS = fixtureLinks(ACCOUNTS);
const SITE = 'stubsite';

describeBrowser('the snippet in Chromium (stub collector)', () => {
  let browser: Browser;
  let collector: StubCollector;
  let site: { url: string; close(): Promise<void> };
  // what the page server answers per path: HTML, headers
  const pages = new Map<string, { html: string; headers?: Record<string, string> }>();
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    [browser, collector, site] = await Promise.all([
      launchChromium(),
      stubCollector(SETTINGS),
      serve((req, _body, res) => {
        const path = new URL(req.url!, 'http://x').pathname;
        if (path === '/components.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(COMPONENTS);
        const p = pages.get(path) ?? pages.get('*');
        if (!p) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...p.headers }).end(p.html);
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await site?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    // A keepalive request outlives its page: let the last ones land before the next test counts.
    for (let n = -1; n != collector.hits.length; ) {
      n = collector.hits.length;
      await new Promise((r) => setTimeout(r, 200));
    }
    collector.hits.length = 0;
    collector.next.length = 0;
    collector.hold = false;
    collector.scriptDelay = 0;
    pages.clear();
    expect(problems.splice(0)).toEqual([]);
  });

  const page = (attrs?: Record<string, string>, extra: Partial<Parameters<typeof fixturePage>[0]> = {}) =>
    fixturePage({ accounts: ACCOUNTS, src: `${collector.url}/s.js`, site: SITE, attrs, ...extra });

  async function open(path = '/shop', init?: (p: Page) => Promise<unknown>): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    // Messenger sites are not reached from tests: popups and clicks land on a blank page.
    await context.route(/^https:\/\/(wa\.me|api\.whatsapp\.com|web\.whatsapp\.com|t\.me|telegram\.(me|dog))\//, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', body: '<title>messenger</title>' }),
    );
    const p = await context.newPage();
    watch(p);
    if (init) await init(p);
    await p.goto(site.url + path, { referer: 'https://www.google.com/' });
    await p.waitForFunction(() => (window as { chatmark?: unknown }).chatmark);
    return p;
  }

  function watch(p: Page) {
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
  }

  const code = (p: Page) => p.evaluate(() => (window as unknown as { chatmark: { code(): string } }).chatmark.code());
  const hrefs = (p: Page) => p.evaluate(() => Object.fromEntries([...document.querySelectorAll('#links a')].map((a) => [a.id, a.getAttribute('href')])));
  const expected = (options: Omit<TagOptions, 'text'>) =>
    Object.fromEntries(LINKS.map((l) => [l.id, (!l.ignore && tagHref(l.href, { ...options, text: l.text })) || l.href]));
  const originals = Object.fromEntries(LINKS.map((l) => [l.id, l.href]));
  const siteOptions = (c: string): Omit<TagOptions, 'text'> => ({ code: c, template: SETTINGS.tpl, wa: SETTINGS.wa, tg: SETTINGS.tg, bots: SETTINGS.bots });
  // Keeps clicks on the page, after the snippet (listening in the capture phase) has seen them.
  const stayOnPage = (p: Page) => p.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));

  it('tags every link form with the site settings and sends a complete page view', async () => {
    pages.set('/shop', { html: page() });
    const p = await open('/shop?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=123');
    const c = await code(p);
    expect(isCode(c)).toBe(true);
    await expect.poll(() => hrefs(p)).toEqual(expected(siteOptions(c)));

    // spot checks of the table against literal expectations
    const now = await hrefs(p);
    expect(now['wa-me']).toBe(`https://wa.me/${ACCOUNTS.wa}?text=${encodeURIComponent(`Номер обращения: ${c}`)}`);
    expect(now['tg-bot']).toBe(`https://t.me/${ACCOUNTS.bot}?start=${c}`);
    expect(now['tg-bot-start']).toBe(`https://t.me/${ACCOUNTS.bot}?start=promo-${c}`);
    expect(decodeURIComponent(new URL(now['wa-me-text']!).searchParams.get('text')!)).toBe(
      'Здравствуйте! Букет «Весна» & ваза #2 + открытка 🌷\nДоставка завтра\n\nНомер обращения: ' + c,
    );
    expect(new URL(now['wa-preset']!).searchParams.get('text')).toBe(`Хочу букет «Весна» & вазу\n\nНомер обращения: ${c}`);
    for (const l of LINKS.filter((l) => !l.tagged)) expect(now[l.id], l.id).toBe(l.href);

    const [pv] = collector.of('pv');
    expect(pv).toMatchObject({
      k: SITE,
      t: 'pv',
      c,
      u: `${site.url}/shop?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=123`,
      l: `${site.url}/shop?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=123`,
      r: 'https://www.google.com/',
      ti: 'Florista — букеты',
      sw: expect.any(Number),
      sh: expect.any(Number),
      dpr: expect.any(Number),
      vw: 1280,
      vh: 720,
      la: expect.stringMatching(/^[a-z]{2}/),
      tz: expect.any(String),
      // 127.0.0.1 is a secure context, so Chromium has UA client hints
      ch: { p: expect.any(String), pv: expect.any(String), m: expect.any(String), mo: false },
    });
    expect(pv!.v).toMatch(/^[0-9A-Z]{32}$/);
    expect(collector.hits).toHaveLength(1);
  });

  it('on a first visit tags a link only when clicked, until the settings arrive; later pages tag from the cached settings at once', async () => {
    pages.set('*', { html: page() });
    collector.hold = true;
    const p = await open('/first');
    await stayOnPage(p);
    const c = await code(p);
    await expect.poll(() => collector.of('pv').length).toBe(1);
    expect(await hrefs(p)).toEqual(originals);

    // a click before the answer: its link is tagged with the neutral default, and recorded
    await p.click('#wa-api');
    const clicked = tagHref(originals['wa-api']!, { code: c, template: DEFAULT_TEMPLATE })!;
    expect(await p.getAttribute('#wa-api', 'href')).toBe(clicked);
    await expect.poll(() => collector.of('click')).toEqual([expect.objectContaining({ t: 'click', c, m: 'wa', to: ACCOUNTS.wa, u: `${site.url}/first` })]);
    // The price of tagging before the settings are known: a click cannot tell the site's numbers
    // from others yet, so a foreign link clicked in this window is tagged too, and the answer
    // puts it back.
    await p.click('#tg-foreign');
    expect(await p.getAttribute('#tg-foreign', 'href')).toBe(tagHref(originals['tg-foreign']!, { code: c, template: DEFAULT_TEMPLATE }));

    collector.release();
    await expect.poll(() => hrefs(p)).toEqual(expected(siteOptions(c)));
    expect((await hrefs(p))['tg-foreign']).toBe(originals['tg-foreign']);

    // the next page of the same visit: same code, tagged before its own answer arrives
    collector.hold = true;
    const p2 = await p.context().newPage();
    watch(p2);
    await p2.goto(site.url + '/second');
    await p2.waitForFunction(() => (window as { chatmark?: unknown }).chatmark);
    expect(await code(p2)).toBe(c);
    await expect.poll(() => hrefs(p2), { timeout: 2000 }).toEqual(expected(siteOptions(c)));
    await expect.poll(() => collector.of('pv').length).toBe(2);
    expect(collector.of('pv')[1]).toMatchObject({ c, u: `${site.url}/second`, l: `${site.url}/first`, r: 'https://www.google.com/' });
    collector.release();
    expect(collector.of('click').map((h) => h.to)).toEqual([ACCOUNTS.wa, 'someone_else']);
  });

  it('tags links added later, hrefs changed later, links in shadow roots, and window.open calls', async () => {
    pages.set('/living', { html: page({}, { scripts: ['/components.js'] }) });
    // the snippet arrives after the page's own components have rendered
    collector.scriptDelay = 300;
    const p = await open('/living');
    const c = await code(p);
    const o = siteOptions(c);
    await expect.poll(() => hrefs(p)).toEqual(expected(o));
    const wa = `https://wa.me/${ACCOUNTS.wa}?text=${encodeURIComponent('Поздний')}`;
    const tg = `https://t.me/${ACCOUNTS.tg}`;

    // a shadow root rendered before the snippet ran
    const early = () => p.evaluate(() => document.querySelector('chat-early')!.shadowRoot!.querySelector('a')!.getAttribute('href'));
    await expect.poll(early).toBe(tagHref(`https://wa.me/${ACCOUNTS.wa}`, o));

    await p.evaluate(
      ({ wa, tg }) => {
        const late = document.getElementById('late')!;
        late.insertAdjacentHTML('beforeend', `<p><a id="late-wa" href="${wa}">late</a></p>`);
        // the page rewrites a link the snippet has already tagged
        document.getElementById('wa-me')!.setAttribute('href', tg);
        document.getElementById('plain')!.setAttribute('href', wa);
        // widgets attaching shadow roots after start-up: open ones are tagged, closed ones left alone
        const host = late.appendChild(document.createElement('div'));
        host.attachShadow({ mode: 'open' }).innerHTML = `<a id="shadow-open" href="${wa}">open</a>`;
        const closedHost = late.appendChild(document.createElement('div'));
        const closed = closedHost.attachShadow({ mode: 'closed' });
        closed.innerHTML = `<a href="${tg}">closed</a>`;
        (window as unknown as { closedRoot: ShadowRoot }).closedRoot = closed;
      },
      { wa, tg },
    );
    await expect
      .poll(() =>
        p.evaluate(() => ({
          late: document.getElementById('late-wa')!.getAttribute('href'),
          changed: document.getElementById('wa-me')!.getAttribute('href'),
          plain: document.getElementById('plain')!.getAttribute('href'),
          open: document.querySelector('#late div')!.shadowRoot!.querySelector('a')!.getAttribute('href'),
          closed: (window as unknown as { closedRoot: ShadowRoot }).closedRoot.querySelector('a')!.getAttribute('href'),
        })),
      )
      .toEqual({ late: tagHref(wa, o), changed: tagHref(tg, o), plain: tagHref(wa, o), open: tagHref(wa, o), closed: tg });

    // a link the page moves back off messengers is left as the page set it
    await p.evaluate(() => document.getElementById('plain')!.setAttribute('href', '/contacts'));
    await expect.poll(() => p.getAttribute('#plain', 'href')).toBe('/contacts');

    // a click inside an open shadow root is a chat click too
    await stayOnPage(p);
    await p.click('#late div >> #shadow-open');
    await expect.poll(() => collector.of('click').map((h) => h.to)).toEqual([ACCOUNTS.wa]);

    // window.open to a messenger gets the code and counts as a chat click; other URLs pass as they are
    const [popup] = await Promise.all([p.waitForEvent('popup'), p.evaluate((tg) => void window.open(tg, '_blank'), tg)]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(tagHref(tg, o));
    await expect.poll(() => collector.of('click').map((h) => h.to)).toEqual([ACCOUNTS.wa, ACCOUNTS.tg]);
    expect(await p.evaluate(() => typeof window.open('about:blank'))).toBe('object');
    expect(collector.of('click')).toHaveLength(2);
  });

  it('sends a page view for each SPA navigation, with the new URL and title', async () => {
    pages.set('*', { html: page() });
    const p = await open('/spa');
    await expect.poll(() => collector.of('pv').length).toBe(1);
    await p.evaluate(() => {
      history.pushState({}, '', '/spa/bouquets?color=red');
      document.title = 'Букеты';
    });
    await expect.poll(() => collector.of('pv').map((h) => [h.u, h.ti])).toEqual([
      [`${site.url}/spa`, 'Florista — букеты'],
      [`${site.url}/spa/bouquets?color=red`, 'Букеты'],
    ]);
    // same URL again, or only a new fragment: no page view
    await p.evaluate(() => {
      history.replaceState({ x: 1 }, '', '/spa/bouquets?color=red');
      history.pushState({}, '', '/spa/bouquets?color=red#reviews');
    });
    await p.evaluate(() => history.go(-2));
    await expect.poll(() => collector.of('pv').map((h) => h.u)).toEqual([`${site.url}/spa`, `${site.url}/spa/bouquets?color=red`, `${site.url}/spa`]);
    // one session throughout
    expect(new Set(collector.hits.map((h) => h.c)).size).toBe(1);
  });

  it('takes the replacement code the collector hands out and re-tags every link with it', async () => {
    pages.set('*', { html: page() });
    const replacement = makeCode();
    collector.next.push({ c: replacement, s: SETTINGS });
    const p = await open('/collision');
    await expect.poll(() => code(p)).toBe(replacement);
    await expect.poll(() => hrefs(p)).toEqual(expected(siteOptions(replacement)));
    await stayOnPage(p);
    await p.click('#tg-user');
    await expect.poll(() => collector.of('click').map((h) => h.c)).toEqual([replacement]);
    // and it sticks for the next page
    const p2 = await p.context().newPage();
    await p2.goto(site.url + '/next');
    await p2.waitForFunction(() => (window as { chatmark?: unknown }).chatmark);
    expect(await code(p2)).toBe(replacement);
  });

  it('retries a page view that failed, before the next hit', async () => {
    pages.set('*', { html: page() });
    collector.next.push(503);
    const p = await open('/retry');
    // Chromium itself logs the failed request; nothing the snippet can (or should) hide
    const logged = (m: string) => /Failed to load resource.*503/.test(m);
    await expect.poll(() => collector.of('pv').length).toBe(1);
    expect(await hrefs(p)).toEqual(originals);
    await p.evaluate(() => (window as unknown as { chatmark: { track(n: string, p: object): void } }).chatmark.track('catalog_opened', { section: 'roses', n: 3 }));
    await expect.poll(() => collector.hits.map((h) => h.t)).toEqual(['pv', 'pv', 'event']);
    expect(collector.of('event')[0]).toMatchObject({ e: 'catalog_opened', p: { section: 'roses', n: 3 } });
    // the retried page view was answered: the settings are in
    await expect.poll(() => hrefs(p)).toEqual(expected(siteOptions(await code(p))));
    expect(problems.filter((m) => !logged(m))).toEqual([]);
    problems.length = 0;
  });

  it('opts out for good: links go back, nothing more is sent, and the next page stays quiet', async () => {
    pages.set('*', { html: page() });
    const p = await open('/optout');
    await expect.poll(() => hrefs(p)).not.toEqual(originals);
    await p.evaluate(() => (window as unknown as { chatmark: { optOut(): void } }).chatmark.optOut());
    expect(await hrefs(p)).toEqual(originals);
    expect(await code(p)).toBe('');
    await stayOnPage(p);
    await p.click('#wa-me');
    await p.evaluate(() => history.pushState({}, '', '/optout/2'));
    await p.reload();
    await p.waitForFunction(() => (window as { chatmark?: unknown }).chatmark);
    await p.waitForTimeout(300);
    expect(await hrefs(p)).toEqual(originals);
    expect(collector.hits.map((h) => h.t)).toEqual(['pv']);
  });

  it('an opt-out in one tab silences the next SPA page view of another', async () => {
    pages.set('*', { html: page() });
    const a = await open('/tab-a');
    const b = await a.context().newPage();
    watch(b);
    await b.goto(site.url + '/tab-b');
    await b.waitForFunction(() => (window as { chatmark?: unknown }).chatmark);
    await expect.poll(() => hrefs(a)).not.toEqual(originals);
    await expect.poll(() => collector.of('pv').length).toBe(2);
    await b.evaluate(() => (window as unknown as { chatmark: { optOut(): void } }).chatmark.optOut());
    await a.evaluate(() => history.pushState({}, '', '/tab-a/next'));
    await expect.poll(() => hrefs(a)).toEqual(originals);
    expect(await code(a)).toBe('');
    expect(collector.of('pv')).toHaveLength(2);
  });

  it('honours Global Privacy Control and Do Not Track only with data-respect-dnt', async () => {
    const gpc = async (p: Page) => p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const dnt = async (p: Page) => p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
    pages.set('/respect', { html: page({ 'respect-dnt': '' }) });
    pages.set('/ignore', { html: page() });
    for (const init of [gpc, dnt]) {
      const p = await open('/respect', init);
      await p.waitForTimeout(300);
      expect(await hrefs(p)).toEqual(originals);
      expect(await code(p)).toBe('');
    }
    expect(collector.hits).toEqual([]);
    const p = await open('/ignore', gpc);
    await expect.poll(() => collector.of('pv').length).toBe(1);
    await expect.poll(() => hrefs(p)).not.toEqual(originals);
  });

  it('lets the tag override template, numbers and usernames', async () => {
    pages.set('*', { html: page({ template: 'Заявка {code}. {text}', numbers: '+7 (999) 000-00-01', telegram: '@Florista_Shop' }) });
    const p = await open('/attrs');
    const c = await code(p);
    const o = { code: c, template: 'Заявка {code}. {text}', wa: ['79990000001'], tg: ['florista_shop'], bots: SETTINGS.bots };
    await expect.poll(() => hrefs(p)).toEqual(expected(o));
    // the site's own number is no longer in data-numbers, so it is left alone
    expect((await hrefs(p))['wa-me']).toBe(originals['wa-me']);
    expect((await hrefs(p))['tg-user']).toBe(`https://t.me/${ACCOUNTS.tg}?text=${encodeURIComponent(`Заявка ${c}.`)}`);
  });

  it('works under a strict Content-Security-Policy that allows only the collector', async () => {
    const csp = `default-src 'none'; script-src ${collector.url} ${site.url}; connect-src ${collector.url}; style-src 'none'; img-src 'none'`;
    pages.set('*', { html: page({}, { scripts: ['/components.js'] }), headers: { 'content-security-policy': csp } });
    const p = await open('/csp', (p) =>
      p.addInitScript(() => {
        const w = window as unknown as { violations: string[] };
        w.violations = [];
        document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      }),
    );
    const c = await code(p);
    await expect.poll(() => hrefs(p)).toEqual(expected(siteOptions(c)));
    await stayOnPage(p);
    await p.click('#tg-bot');
    await expect.poll(() => collector.of('click').length).toBe(1);
    expect(await p.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  });
});

// A page component that renders its chat button into a shadow root while the page parses.
const COMPONENTS = `
customElements.define('chat-early', class extends HTMLElement {
  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' }).innerHTML = '<a href="https://wa.me/${ACCOUNTS.wa}">chat</a>';
  }
});
document.body.appendChild(document.createElement('chat-early'));
`;
