// The URL-based link rules the snippet shipped first (new URL + URLSearchParams per link): too
// slow for a page of a thousand links, but plainly what the browser's own URL code makes of a
// link. test/links-oracle.test.ts checks that src/links.ts, which splices strings instead,
// writes exactly the same hrefs over thousands of generated links.
import type { ChatTarget, TagOptions } from '../src/links.ts';

// The URL of the last parse(), so tagHref need not parse twice nor carry it in the result that
// chatTarget hands out.
let u: URL;

const parse = (h: string): ChatTarget | null => {
  try {
    u = new URL(h);
  } catch {
    return null;
  }
  const q = u.searchParams,
    // Digits only: a "+" in a query is a space, and hand-written numbers carry "(", "-", " ".
    d = (q.get('phone') + '').replace(/\D/g, ''),
    // Every form is first rewritten to "wa.me/<digits>" or "t.me/<user or +phone>" so that one
    // anchored pattern decides: it pins the exact host (no look-alikes) and the exact path
    // (wa.me/message/…, t.me/<channel>/<post> fall out). Other schemes keep their prefix and fail.
    // Usernames are 4-32 chars, so t.me/s, /c, /m, /iv, /$… fail too; the few longer reserved
    // words that are used without a second path segment are excluded by name.
    m = /^(?:(wa)\.me\/\+?(\d*)|(?:t\.me|telegram\.(?:me|dog))\/(?:\+(\d+)|(?!(?:share|proxy|socks|boost)\b)([a-z]\w{3,31}))|([a-z]\w{3,31})\.t\.me\/)\/?$/.exec(
      (u.protocol + u.hostname + u.pathname)
        .replace(/^https?:(www\.)?/, '')
        // With neither domain nor phone this leaves "t.me/+", which the pattern rejects.
        .replace(/^tg:resolve\/?$/, 't.me/' + (q.get('domain') || '+' + d))
        .replace(/^((api|web)\.)?whatsapp(\.com\/|:)send\/?$/, 'wa.me/' + d)
        .toLowerCase(),
    );
  // Params that turn a chat link into something else (mini app, group add, game, referral
  // program — start=_tgr_… included —, post): an added text/start would be ignored there or, in
  // clients that rank params, would override what the site meant. Matched as prefixes to stay short.
  return m && !/[?&](start(\w|=_tgr_)|ref=|post|game|attach)/.test(u.search)
    ? { m: (m[1] || 'tg') as ChatTarget['m'], to: m.slice(2).join('') }
    : null;
};

export function referenceFillTemplate(template: string, text: string, code: string): string {
  // A template without {code} would silently lose attribution. A function replacer keeps "$&"
  // or "{code}" typed inside the text literal. An empty text takes the blank before it along, so
  // the line break after it survives; the trim covers a {text} at the very start.
  return (template.includes('{code}') ? template : template + ' {code}')
    .replace(/\{code\}|(\s*)\{text\}/g, (_, w) => (w == null ? code : text && w + text))
    .trim();
}

export const referenceChatTarget = parse;

export function referenceTagHref(href: string, o: TagOptions): string | null {
  const p = parse(href);
  if (!p) return null;
  const { m, to } = p,
    q = u.searchParams,
    l = /^[a-z]/.test(to) ? o.tg : o.wa,
    bot = m == 'tg' && (/bot$/.test(to) || o.bots?.includes(to) || q.has('start')),
    k = bot ? 'start' : 'text';
  let v = q.get(k) || '',
    x;
  if (to && l?.length && !l.includes(to)) return null;
  q.set(
    k,
    bot
      ? // Keep the site's own start value while the pair stays valid (≤64 of [A-Za-z0-9_-]).
        v && /^[\w-]{0,64}$/.test((x = v + '-' + o.code)) ? x : o.code
      : referenceFillTemplate(o.template, o.text ?? v, o.code),
  );
  // Form encoding writes spaces as "+", which not every client decodes; a literal "+" is %2B by
  // then, so every remaining "+" is a space.
  u.search = (q + '').replace(/\+/g, '%20');
  return u.href;
}
