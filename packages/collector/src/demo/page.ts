/** The demo landing page: one of every link form the snippet tags, for newcomers and for e2e. */
export interface DemoPageInput {
  siteKey: string;
  whatsapp: string;
  telegramBot: string;
  telegramUser: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function demoPage(d: DemoPageInput): string {
  const wa = esc(d.whatsapp);
  const bot = esc(d.telegramBot);
  const user = esc(d.telegramUser);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chatmark demo — Florista flower shop</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7fb; }
  main { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
  h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
  .lead { color: #56607a; margin-top: 0; }
  .card { background: #fff; border-radius: 12px; padding: 1.25rem; margin: 1rem 0; box-shadow: 0 1px 3px #0001; }
  .links a { display: inline-block; margin: .25rem .5rem .25rem 0; padding: .55rem .9rem; border-radius: 8px; text-decoration: none; color: #fff; }
  .wa { background: #1fa855; } .tg { background: #229ed9; }
  code { background: #eef0f6; padding: .1rem .3rem; border-radius: 4px; font-size: .9em; word-break: break-all; }
  footer { color: #56607a; font-size: .9rem; }
</style>
</head>
<body>
<main>
  <h1>Florista</h1>
  <p class="lead">A demo shop page carrying the Chatmark tag. Every WhatsApp and Telegram link below is tagged with this visit's code.</p>
  <section class="card">
    <h2>Order in WhatsApp</h2>
    <div class="links">
      <a class="wa" id="wa-me" href="https://wa.me/${wa}?text=${encodeURIComponent('Hello! I would like to order flowers')}">wa.me</a>
      <a class="wa" id="wa-api" href="https://api.whatsapp.com/send/?phone=${wa}&amp;type=phone_number&amp;app_absent=0">api.whatsapp.com</a>
      <a class="wa" id="wa-app" href="whatsapp://send?phone=${wa}">WhatsApp app</a>
      <a class="wa" id="wa-preset" href="https://wa.me/${wa}" data-chatmark-text="I want the spring bouquet">Spring bouquet</a>
      <a class="wa" id="wa-web" href="https://web.whatsapp.com/send?phone=${wa}">WhatsApp Web</a>
      <a class="wa" id="wa-any" href="https://wa.me/?text=${encodeURIComponent('Look at these flowers!')}">Send to a friend</a>
    </div>
    <p>Left alone: <a id="wa-qr" href="https://wa.me/message/ABCDEFGHIJKL1">a QR short link</a> (its message is stored by WhatsApp)
      and <a id="wa-ignored" href="https://wa.me/${wa}" data-chatmark-ignore>a link marked <code>data-chatmark-ignore</code></a>.</p>
  </section>
  <section class="card">
    <h2>Or in Telegram</h2>
    <div class="links">
      <a class="tg" id="tg-bot" href="https://t.me/${bot}">Our bot</a>
      <a class="tg" id="tg-user" href="https://t.me/${user}">Write to the shop</a>
      <a class="tg" id="tg-app" href="tg://resolve?domain=${user}">Telegram app</a>
      <a class="tg" id="tg-text" href="https://telegram.me/${user}?text=${encodeURIComponent('Do you deliver on Sundays?')}">Ask about delivery</a>
    </div>
  </section>
  <section class="card">
    <h2>Your visit</h2>
    <p>Visit code: <code id="visit-code">…</code></p>
    <p>Link hrefs are rewritten in place: hover a button to see its message.</p>
  </section>
  <section class="card">
    <h2>Try it without a messenger</h2>
    <p>Send the message the first WhatsApp button prepares, as if you had written it in WhatsApp. It goes
    through the demo site's webhook channel like a real platform's delivery.</p>
    <p><button id="simulate" type="button">Simulate the message</button></p>
    <pre id="simulate-result" hidden></pre>
  </section>
  <footer>Served by Chatmark at <code>/demo</code> for the demo site <code>${esc(d.siteKey)}</code>.</footer>
</main>
<script async src="/s.js" data-site="${esc(d.siteKey)}"></script>
<script src="/demo/page.js" defer></script>
</body>
</html>
`;
}

/** Kept out of the page so the demo also runs under a strict CSP without inline scripts. */
export const demoScript = `(function () {
  var n = 0;
  var t = setInterval(function () {
    var c = window.chatmark && window.chatmark.code && window.chatmark.code();
    if (c || ++n > 100) { clearInterval(t); document.getElementById('visit-code').textContent = c || 'not available'; }
  }, 100);
  // One pretend customer per browser, so a second simulated visit shows up as a repeat inquiry.
  var who = localStorage.getItem('chatmark-demo-contact');
  if (!who) { who = 'demo-' + Math.random().toString(36).slice(2, 12); localStorage.setItem('chatmark-demo-contact', who); }
  var out = document.getElementById('simulate-result');
  document.getElementById('simulate').addEventListener('click', function () {
    var text = new URL(document.getElementById('wa-me').href).searchParams.get('text') || '';
    fetch('/demo/simulate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: text, contact: who }) })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        out.hidden = false;
        var i = j.inquiry;
        out.textContent = i
          ? 'Inquiry #' + i.id + ' (' + i.type + '), matched by ' + i.match.method + '\\n' +
            'source: ' + (i.session ? [i.session.source, i.session.medium, i.session.campaign].join(' / ') : '-') + '\\n' +
            'page: ' + (i.page.url || '-') + '\\nmessages: ' + i.message_count
          : (j.message || 'not recorded');
      });
  });
})();
`;
