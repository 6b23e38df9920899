// Messenger link rewriting for the browser snippet, which runs it over every messenger link of
// a page as the page loads (a thousand links must cost a few milliseconds in all) and ships it
// inside a small size budget. So it works on the href string with a few regular expressions:
// a `new URL` plus URLSearchParams per link (a second parse when the query is set, form
// re-encoding of every parameter) cost several microseconds each, most of the snippet's time.
// URLSearchParams is only used for queries whose other parameters need re-encoding.
// test/links.test.ts lists the forms it accepts and refuses.

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

// The href the last parse() saw, split into scheme, slashes, host, path, query (without "?")
// and fragment (with "#"): tagHref reuses it, and chatTarget's result does not carry it.
let x: RegExpExecArray;

// The first occurrence of the query parameter `re` finds (its value in group 2), and that value
// decoded as a form would be; null when the parameter is absent.
let found: RegExpExecArray | null;
const value = (re: RegExp) => (found = re.exec(x[5])) && decodeURIComponent((found[2] || '').replace(/\+/g, ' '));
const TEXT = /(^|&)text(?:=([^&]*))?(?=&|$)/;
const START = /(^|&)start(?:=([^&]*))?(?=&|$)/;

// Every form, on the lower-cased scheme, host and path: it pins the exact host (no look-alikes)
// and the exact path (wa.me/message/…, t.me/<channel>/<post> fall out). Groups: 1 wa.me, 2 its
// number; 3 a Telegram phone, 4 or 5 a username; 6 and 7 WhatsApp's send pages (number in
// ?phone), 8 tg://resolve (?domain or ?phone, checked again as a t.me link). Usernames are 4-32
// chars, so t.me/s, /c, /m, /iv, /$… fail too; the few longer reserved words that are used without
// a second path segment are excluded by name.
const FORM =
  /^(?:https?:(?:www\.)?(?:(wa)\.me(?:\/\+?(\d*))?|(?:t\.me|telegram\.(?:me|dog))\/(?:\+(\d+)|(?!(?:share|proxy|socks|boost)\b)([a-z]\w{3,31}))|([a-z]\w{3,31})\.t\.me|(?:(?:api|web)\.)?(whatsapp)\.com\/send)|(whatsapp):send|tg:(resolve))\/?$/;

const parse = (h: string): ChatTarget | null => {
  // Only absolute URLs: a relative one ("wa.me/…", "/contacts") is never a messenger link.
  x = /^([a-z]+:)(\/*)([^/?#]*)([^?#]*)\??([^#]*)(.*)/i.exec(h.trim())!;
  let m = x && FORM.exec((x[1] + x[3] + x[4]).toLowerCase()),
    // Digits only: a "+" in a query is a space, and hand-written numbers carry "(", "-", " ".
    d;
  if (m && (m[6] || m[7] || m[8])) {
    d = (value(/(^|&)phone=([^&]*)/) || '').replace(/\D/g, '');
    // With neither domain nor phone this checks "t.me/+", which fails.
    if (m[8]) m = FORM.exec('https:t.me/' + (value(/(^|&)domain=([^&]*)/) || '+' + d).toLowerCase());
  }
  // Params that turn a chat link into something else (mini app, group add, game, referral
  // program — start=_tgr_… included —, post): an added text/start would be ignored there or, in
  // clients that rank params, would override what the site meant. Matched as prefixes to stay short.
  return m && !/(^|&)(start(\w|=_tgr_)|ref=|post|game|attach)/.test(x[5])
    ? m[1] || m[6] || m[7]
      ? { m: 'wa', to: m[1] ? m[2] || '' : d! }
      : { m: 'tg', to: m[3] || m[4] || m[5]! }
    : null;
};

export function fillTemplate(template: string, text: string, code: string): string {
  // A template without {code} would silently lose attribution. split/join, not replace, so that
  // "$&" or "{code}" typed inside the text stays literal. An empty text takes the blank before it
  // along, so the line break after it survives; the trim covers a {text} at the very start.
  const t = (template.includes('{code}') ? template : template + ' {code}').split('{code}').join(code);
  return (text ? t.split('{text}').join(text) : t.replace(/\s*\{text\}/g, '')).trim();
}

/** Messenger and target (digits of the number, lower-case username, '' for none) of a link to tag; null for anything else. */
export const chatTarget = (href: string): ChatTarget | null => {
  try {
    return parse(href);
  } catch {
    // malformed percent-encoding in the query: not a link to touch
    return null;
  }
};

// code + template + text → the filled message, percent-encoded: most links of a page share one.
const encoded = new Map<string, string>();

/** The link with the visit code added (`text` for people, `start` for bots), or null when it is not one to tag. */
export function tagHref(href: string, o: TagOptions): string | null {
  try {
    const p = parse(href);
    if (!p) return null;
    const { m, to } = p,
      l = /^[a-z]/.test(to) ? o.tg : o.wa,
      q = x[5];
    if (to && l?.length && !l.includes(to)) return null;
    const bot = m == 'tg' && (/bot$/.test(to) || o.bots?.includes(to) || START.test(q)),
      re = bot ? START : TEXT,
      k = bot ? 'start' : 'text',
      v = value(re) || '',
      t = o.text ?? v,
      key = o.code + o.template + '\0' + t,
      // the query before and after that first occurrence
      a = found ? q.slice(0, found.index) : q,
      b = found ? q.slice(found.index + found[0].length) : '';
    let y, e;
    // Keep the site's own start value while the pair stays valid (≤64 of [A-Za-z0-9_-]).
    if (bot) e = y = v && /^[\w-]{0,64}$/.test(v + '-' + o.code) ? v + '-' + o.code : o.code;
    // What URLSearchParams would write (so links read the same whichever way they were made):
    // form encoding, whose "+" for a space not every client decodes, so %20.
    else if (!(e = encoded.get(key))) encoded.set(key, (e = encodeURIComponent((y = fillTemplate(o.template, t, o.code))).replace(/[!'()~]/g, escape)));
    return (
      // What URL would write: scheme and host in lower case, "/" for an empty http(s) path.
      (x[1] + x[2] + x[3]).toLowerCase() +
      (x[4] || (/^h/i.test(x[1]) ? '/' : '')) +
      '?' +
      // The parameter is set where it stands, or added at the end; other parameters stay as they
      // are when they are in their encoded form already. Otherwise (a repeated parameter, a
      // space, "(", non-ASCII, a percent escape, no "="), URLSearchParams re-encodes the query.
      (!re.test(b) && /^(&?[\w.*-]+=[\w.*-]*)*$/.test(a + b) ? a + (found ? found[1] : a && '&') + k + '=' + e + b : slow(q, k, y ?? fillTemplate(o.template, t, o.code))) +
      x[6]
    );
  } catch {
    // malformed percent-encoding in the query, a lone surrogate in the text: left alone
    return null;
  }
}

const slow = (q: string, k: string, y: string) => {
  const u = new URLSearchParams(q);
  u.set(k, y);
  return (u + '').replace(/\+/g, '%20');
};
