// Prints the snippet's size (gzip -9 and brotli q11, as the collector serves it) and the
// main-thread time it spends tagging 1,000 links on load in real Chromium; fails if it forces a
// layout. Usage: npm run bench:snippet [-- --runs 15 --links 1000]
//
// The machine may be busy (other benchmarks, a shared CI runner): thread time is what the trace
// counts, but a busy core still slows it. Compare medians taken at the same load average, or
// the lower quartile printed beside them.
//
// A small local server serves the page and a stub /v1/hit, so the figures are the snippet's
// alone. A first visit stores the site's settings; the measured visits then tag every link as
// soon as the script runs, the expensive path. The time is the thread (CPU) time of everything
// Chromium's trace attributes to /s.js during the load (compiling and running it, its
// MutationObserver, timer and fetch callbacks), so other work on a busy machine does not count.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'packages/snippet/dist/chatmark.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 15);
const LINKS = arg('--links', 1000);

execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-missing'], { stdio: 'inherit' });
const js = readFileSync(file);
const gzip = gzipSync(js, { level: 9 }).length;
const brotli = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

// Every form the snippet tags, in turn; all of them the site's (the settings list no numbers).
const phone = (i) => `7999${String(i).padStart(7, '0')}`;
const forms = [
  (i) => `https://wa.me/${phone(i)}?text=${encodeURIComponent(`Здравствуйте! Заказ №${i} & букет 🌷`)}`,
  (i) => `https://api.whatsapp.com/send/?phone=${phone(i)}&type=phone_number&app_absent=0`,
  (i) => `whatsapp://send?phone=${phone(i)}`,
  (i) => `https://t.me/shop_${i}`,
  (i) => `https://t.me/shop_${i}_bot`,
  (i) => `tg://resolve?domain=shop_${i}`,
  (i) => `https://web.whatsapp.com/send?phone=${phone(i)}&text=hi`,
  (i) => `https://telegram.me/shop_${i}?text=${encodeURIComponent(`Hi #${i}`)}`,
];
const anchor = (href, i) => `<li><a href="${href.replace(/&/g, '&amp;')}">link ${i}</a></li>`;
const pages = {
  // the strict reading of "tagging 1,000 links": every one goes to a messenger
  '/chat': { links: Array.from({ length: LINKS }, (_, i) => anchor(forms[i % forms.length](i), i)), chat: LINKS },
  // a big real page: a catalogue where 1 link in 50 goes to a messenger
  '/catalog': {
    links: Array.from({ length: LINKS }, (_, i) => anchor(i % 50 === 7 ? forms[i % forms.length](i) : `/catalog/item-${i}?color=red&size=${i % 5}`, i)),
    chat: Math.ceil((LINKS - 7) / 50),
  },
  // no links at all: the start-up cost (storage, the page view, the browser's details)
  '/empty': { links: [], chat: 0 },
};
const SETTINGS = { tpl: '{text}\n\nНомер обращения: {code}', wa: [], tg: [], bots: [] };
const html = (site, links) => `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body><ul>
${links.join('\n')}
</ul>
<script async src="/s.js" data-site="${site}"></script>
</body></html>`;

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/s.js') return res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=3600' }).end(js);
  if (pages[url.pathname]) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html('bench', pages[url.pathname].links));
  if (url.pathname === '/v1/hit') {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const cors = { 'access-control-allow-origin': '*' };
      if (JSON.parse(body).t !== 'pv') return res.writeHead(204, cors).end();
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ s: SETTINGS }));
    });
    return;
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const executablePath = process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!executablePath) throw new Error('no Chromium: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
const median = (xs) => quantile(xs, 0.5);
const ms = (xs) => `${xs.map((t) => t.toFixed(1)).join(' ')}; median ${median(xs).toFixed(1)}, lower quartile ${quantile(xs, 0.25).toFixed(1)} ms`;

try {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  const answered = () => tab.waitForResponse((r) => r.url().endsWith('/v1/hit'));

  // First visit: no settings yet (links would wait for a click); the answer caches them.
  await Promise.all([answered(), tab.goto(`${origin}/chat`)]);
  await tab.waitForFunction(() => localStorage.getItem('chatmarkbench')?.includes('"s":'));

  let forcedLayouts = 0;
  const load = async (path) => {
    await browser.startTracing(tab, { categories: ['devtools.timeline'] });
    await Promise.all([answered(), tab.goto(origin + path)]);
    await tab.waitForTimeout(100);
    const events = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents;
    const ours = events.filter(
      (e) => e.ph === 'X' && (e.name === 'EvaluateScript' || e.name === 'FunctionCall') && String(e.args?.data?.url ?? '').endsWith('/s.js'),
    );
    if (!ours.some((e) => e.name === 'EvaluateScript')) throw new Error('the trace shows no evaluation of /s.js');
    const inside = (e, o) => o !== e && o.tid === e.tid && e.ts >= o.ts && e.ts < o.ts + o.dur;
    const outermost = ours.filter((e) => !ours.some((o) => inside(e, o)));
    // A layout or style recalculation run inside the snippet's own code was forced by it.
    forcedLayouts += events.filter((e) => (e.name === 'Layout' || e.name === 'UpdateLayoutTree') && ours.some((o) => inside(e, o))).length;
    const cpu = outermost.reduce((sum, e) => sum + (e.tdur ?? e.dur), 0) / 1000;
    const { tagged } = await tab.evaluate(() => {
      const code = window.chatmark.code();
      return { tagged: [...document.links].filter((a) => decodeURIComponent(a.href).includes(code)).length };
    });
    if (tagged !== pages[path].chat) throw new Error(`${path}: ${tagged} links tagged, expected ${pages[path].chat}`);
    return cpu;
  };
  const chat = [];
  const catalog = [];
  const empty = [];
  for (let i = 0; i < RUNS; i++) {
    chat.push(await load('/chat'));
    catalog.push(await load('/catalog'));
    empty.push(await load('/empty'));
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);

  console.log(`machine load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${LINKS} links, all to messengers, main-thread ms per load: ${ms(chat)}`);
  console.log(`${LINKS} links, ${pages['/catalog'].chat} to messengers: ${ms(catalog)}`);
  console.log(`no links (start-up alone): ${ms(empty)}`);
  console.log(`forced layouts: ${forcedLayouts}`);
  if (forcedLayouts) process.exitCode = 1;
  console.log(`snippet: ${gzip} B gzip, ${brotli} B brotli, tag-1000 ${median(chat).toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}
