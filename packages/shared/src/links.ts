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
  text?: string | null;
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

// The rules for every form, in a look-ahead over the link: the exact host (no look-alikes) and
// the exact path (wa.me/message/…, t.me/<channel>/<post> fall out), any case. Groups: 1 wa.me,
// 2 its number; 3 a Telegram phone, 4 or 5 a username; 6 and 7 WhatsApp's send pages and app
// (number in ?phone), 8 tg://resolve (?domain or ?phone, checked again as a t.me link).
// Usernames are 4-32 chars, so t.me/s, /c, /m, /iv, /$… fail too; the few longer reserved words
// that are used without a second path segment are excluded by name. Then the link itself, split
// into 9 scheme, slashes and host, 10 path, 11 query (without "?"), 12 fragment (with "#"). One
// pass: a thousand links on a page go through it as the page loads. Only absolute URLs: a
// relative one ("wa.me/…", "/contacts") is never a messenger link.
const LINK =
  /^(?=(?:https?:\/*(?:www\.)?(?:(wa)\.me(?:\/\+?(\d*))?|(?:t\.me|telegram\.(?:me|dog))\/(?:\+(\d+)|(?!(?:share|proxy|socks|boost)\b)([a-z]\w{3,31}))|([a-z]\w{3,31})\.t\.me|(?:(?:api|web)\.)?(whatsapp)\.com\/send)|(whatsapp):\/*send|tg:\/*(resolve))\/?(?:[?#]|$))([a-z]+:\/*[^/?#]*)([^?#]*)\??([^#]*)(.*)/i;

// The last link parse() matched: tagHref reuses it, and chatTarget's result does not carry it.
let x: RegExpExecArray | null;

// The first occurrence of query parameter `n` (its value in group 2), and that value decoded as a
// form would be; null when the parameter is absent. Most queries lack most names, and includes()
// settles that for less than a regular expression would.
let found: RegExpExecArray | null;
const PARAM: Record<string, RegExp> = {};
const value = (n: string, r = (PARAM[n] ||= RegExp('(^|&)' + n + '(?:=([^&]*))?(?=&|$)'))) =>
  (found = x![11]!.includes(n) ? r.exec(x![11]!) : null) && decode((found[2] || '').replace(/\+/g, ' '));

// A stray "%" ("скидка 10%") stays a "%", as URLSearchParams keeps it, where decodeURIComponent
// throws: escaped on a second try (looking for one first costs more than decoding). Broken
// UTF-8 still throws, and the link is left alone.
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return decodeURIComponent(s.replace(/%(?![\da-f]{2})/gi, '%25'));
  }
};

const parse = (h: string): ChatTarget | null => {
  let m = (x = LINK.exec(h.trim())),
    // Digits only: a "+" in a query is a space, and hand-written numbers carry "(", "-", " ".
    d;
  if (m && (m[6] || m[7] || m[8])) {
    d = (value('phone') || '').replace(/\D/g, '');
    // With neither domain nor phone this checks "t.me/+", which fails; escape() keeps a "?" or
    // "#" in the name from ending the path early.
    if (m[8]) m = LINK.exec('https:t.me/' + escape(value('domain') || '+' + d));
  }
  // Params that turn a chat link into something else (mini app, group add, game, referral
  // program — start=_tgr_… included —, post): an added text/start would be ignored there or, in
  // clients that rank params, would override what the site meant. Matched as prefixes to stay short.
  return m && !/(^|&)(start(\w|=_tgr_)|ref=|post|game|attach)/.test(x![11]!)
    ? m[1] || m[6] || m[7]
      ? { m: 'wa', to: m[1] ? m[2] || '' : d! }
      : { m: 'tg', to: (m[3] || m[4] || m[5])!.toLowerCase() }
    : null;
};

export const fillTemplate = (template: string, text: string, code: string): string => {
  // A template without {code} would silently lose attribution. split/join, not replace, so that
  // "$&" or "{code}" typed inside the text stays literal. An empty text takes the blank before it
  // along, so the line break after it survives; the trim covers a {text} at the very start.
  const t = (template.includes('{code}') ? template : template + ' {code}').split('{code}').join(code);
  return (text ? t.split('{text}').join(text) : t.replace(/\s*\{text\}/g, '')).trim();
};

/** Messenger and target (digits of the number, lower-case username, '' for none) of a link to tag; null for anything else. */
export const chatTarget = (href: string): ChatTarget | null => {
  try {
    return parse(href);
  } catch {
    // broken UTF-8 in a percent-encoded value: not a link to touch
    return null;
  }
};

/** Where the link tagHref last tagged goes (so the snippet need not parse it again for a click). */
export let tagged: ChatTarget;

// The link's text ({text} before the template is filled) → the filled message, as it is and
// percent-encoded, for the template and code of the last call: most links of a page share one.
// Comparing the template and code costs nothing when they are the same strings as last time.
let filled = new Map<string, [string, string]>();
let forTemplate: string, forCode: string;

/** The link with the visit code added (`text` for people, `start` for bots), or null when it is not one to tag. */
export const tagHref = (href: string, o: TagOptions): string | null => {
  try {
    const p = parse(href),
      // a username starts with a letter; a number with a digit, or is ''
      l = p && (p.to[0]! > '9' ? o.tg : o.wa);
    if (!p || (p.to && l?.length && !l.includes(p.to))) return null;
    const q = x![11]!,
      bot = p.m == 'tg' && (/bot$/.test(p.to) || o.bots?.includes(p.to) || value('start') != null),
      k = bot ? 'start' : 'text',
      v = value(k) || '',
      f = found,
      t = o.text ?? v,
      // the query before (without its "&") and after (with it) the parameter's first occurrence
      a = f ? q.slice(0, f.index) : q,
      b = f ? q.slice(f.index + f[0].length) : '',
      // Keep the site's own start value while the pair stays valid (≤64 of [A-Za-z0-9_-]).
      start = v && /^[\w-]{0,64}$/.test(v + '-' + o.code) ? v + '-' + o.code : o.code;
    if (forTemplate != o.template || forCode != o.code) (filled = new Map()), (forTemplate = o.template), (forCode = o.code);
    let y: [string, string] | undefined = bot ? [start, start] : filled.get(t),
      u;
    // What URLSearchParams would write (so links read the same whichever way they were made):
    // form encoding, whose "+" for a space not every client decodes, so %20.
    if (!y) filled.set(t, (y = [(u = fillTemplate(o.template, t, o.code)), encodeURIComponent(u).replace(/[!'()~]/g, escape)]));
    tagged = p;
    return (
      // What URL would write: scheme and host in lower case, "/" for an empty http(s) path.
      x![9]!.toLowerCase() +
      (x![10] || (x![7] || x![8] ? '' : '/')) +
      '?' +
      // The parameter is set where it stands, or added at the end; other parameters stay as they
      // are when they are in their encoded form already. Otherwise (a repeated parameter, a
      // space, "(", non-ASCII, a percent escape, no "="), URLSearchParams re-encodes the query
      // (through URL, whose parser percent-encodes raw non-ASCII first: Node's URLSearchParams
      // misreads it next to percent escapes).
      (!PARAM[k]!.test(b) && /^(&[\w.*-]+=[\w.*-]*)*$/.test((a && '&' + a) + b)
        ? (a && a + '&') + k + '=' + y[1] + b
        : ((u = new URL('a:?' + q).searchParams), u.set(k, y[0]!), (u + '').replace(/\+/g, '%20'))) +
      x![12]
    );
  } catch {
    // Broken UTF-8 in a percent-encoded value, a lone surrogate in the text: left alone.
    return null;
  }
};
