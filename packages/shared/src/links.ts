// Messenger link rewriting for the browser snippet. Every byte here ships inside a 1.5 kB gzip
// budget, and the snippet may run it over a thousand links as a page loads, so it works on the
// href string with a few regular expressions and hands only the query to URLSearchParams: a
// `new URL` per link (host parsing, IDNA, a second parse when the query is set) cost ~10 µs each,
// most of the snippet's time. test/links.test.ts lists the forms it accepts and refuses.

export interface TagOptions {
  /** Visit code to insert (A-Z0-9, also a valid Telegram start parameter). */
  code: string;
  /** Message template with {text} and {code}. */
  template: string;
  /** Preset phrase (data-chatmark-text); replaces the link's own prefill as {text}. */
  text?: string;
  /** The site's WhatsApp numbers; when non-empty, links to other numbers are left alone. Also
   *  governs Telegram phone links (t.me/+<phone>): a business usually has one phone. */
  wa?: string[];
  /** The site's Telegram usernames; when non-empty, links to other usernames are left alone. */
  tg?: string[];
  /** Usernames to treat as bots even without a "bot" suffix. */
  bots?: string[];
}

export interface ChatTarget {
  m: 'wa' | 'tg';
  to: string;
}

// What the last parse() saw, so tagHref need not parse twice nor carry it in the result that
// chatTarget hands out: the href split into scheme, "//", host, path, query and fragment, and the
// query's parameters.
let x: RegExpExecArray;
let q: URLSearchParams;

const parse = (h: string): ChatTarget | null => {
  // Only absolute URLs: a relative one ("wa.me/…", "/contacts") is never a messenger link.
  x = /^([a-z]+:)(\/*)([^/?#]*)([^?#]*)\??([^#]*)(.*)/i.exec(h.trim())!;
  if (!x) return null;
  q = new URLSearchParams(x[5]);
  const // Digits only: a "+" in a query is a space, and hand-written numbers carry "(", "-", " ".
    d = (q.get('phone') + '').replace(/\D/g, ''),
    // Every form is first rewritten to "wa.me/<digits>" or "t.me/<user or +phone>" so that one
    // anchored pattern decides: it pins the exact host (no look-alikes) and the exact path
    // (wa.me/message/…, t.me/<channel>/<post> fall out). Other schemes keep their prefix and fail.
    // Usernames are 4-32 chars, so t.me/s, /c, /m, /iv, /$… fail too; the few longer reserved
    // words that are used without a second path segment are excluded by name.
    m = /^(?:(wa)\.me(?:\/\+?(\d*))?|(?:t\.me|telegram\.(?:me|dog))\/(?:\+(\d+)|(?!(?:share|proxy|socks|boost)\b)([a-z]\w{3,31}))|([a-z]\w{3,31})\.t\.me)\/?$/.exec(
      (x[1] + x[3] + x[4])
        .replace(/^https?:(www\.)?/i, '')
        // With neither domain nor phone this leaves "t.me/+", which the pattern rejects.
        .replace(/^tg:resolve\/?$/i, 't.me/' + (q.get('domain') || '+' + d))
        .replace(/^((api|web)\.)?whatsapp(\.com\/|:)send\/?$/i, 'wa.me/' + d)
        .toLowerCase(),
    );
  // Params that turn a chat link into something else (mini app, group add, game, referral
  // program — start=_tgr_… included —, post): an added text/start would be ignored there or, in
  // clients that rank params, would override what the site meant. Matched as prefixes to stay short.
  return m && !/(^|&)(start(\w|=_tgr_)|ref=|post|game|attach)/.test(x[5])
    ? { m: (m[1] || 'tg') as ChatTarget['m'], to: m.slice(2).join('') }
    : null;
};

export function fillTemplate(template: string, text: string, code: string): string {
  // A template without {code} would silently lose attribution. A function replacer keeps "$&"
  // or "{code}" typed inside the text literal. An empty text takes the blank before it along, so
  // the line break after it survives; the trim covers a {text} at the very start.
  return (template.includes('{code}') ? template : template + ' {code}')
    .replace(/\{code\}|(\s*)\{text\}/g, (_, w) => (w == null ? code : text && w + text))
    .trim();
}

export const chatTarget = parse;

export function tagHref(href: string, o: TagOptions): string | null {
  const p = parse(href);
  if (!p) return null;
  const { m, to } = p,
    l = /^[a-z]/.test(to) ? o.tg : o.wa,
    bot = m == 'tg' && (/bot$/.test(to) || o.bots?.includes(to) || q.has('start')),
    k = bot ? 'start' : 'text';
  let v = q.get(k) || '',
    y;
  if (to && l?.length && !l.includes(to)) return null;
  q.set(
    k,
    bot
      ? // Keep the site's own start value while the pair stays valid (≤64 of [A-Za-z0-9_-]).
        v && /^[\w-]{0,64}$/.test((y = v + '-' + o.code)) ? y : o.code
      : fillTemplate(o.template, o.text ?? v, o.code),
  );
  // What URL would write: scheme and host in lower case, "/" for an empty http(s) path. Form
  // encoding writes spaces as "+", which not every client decodes; a literal "+" is %2B by then,
  // so every remaining "+" is a space.
  return (
    (x[1] + x[2] + x[3]).toLowerCase() +
    (x[4] || (/^h/i.test(x[1]) ? '/' : '')) +
    '?' +
    (q + '').replace(/\+/g, '%20') +
    x[6]
  );
}
