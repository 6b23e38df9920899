import { makeCode } from './code.ts';
import type { State } from './state.ts';

/** Inactivity after which the next page view starts a new session (what every tracker uses). */
export const SESSION_TIMEOUT = 18e5; // 30 minutes: esbuild would not fold 30 * 60e3

// Campaign parameters: utm_*, gad_* and ad-platform click ids. shared/traffic.ts holds the list
// with each id's meaning (the collector classifies visits with it); the snippet only has to see
// that a landing carries a campaign, so one pattern stands in for it, and test/session.test.ts
// checks that it covers every name there. \w*cl(ic)?k?id catches gclid, dclid, yclid, ysclid,
// ymclid, fbclid, msclkid, ttclid, twclid, vkclid, qclid, irclid, irclickid and rb_clickid. A
// looser pattern (say \w*cid) would match site parameters such as "docid", and every internal
// link carrying one would then split the session. (Written where it is used: it runs once a
// page view, and a constant of its own costs bytes.)
/** The campaign parameters of a query string as they stand; '' when it has none. */
export const campaignKey = (search: string): string =>
  (search.match(/[?&]((utm|gad)_\w+|\w*cl(ic)?k?id|[gw]braid|_openstat|srsltid|li_fat_id|rdt_cid|sccid|epik|erid|mc_cid|admitad_uid)=[^&]*/g) || []).join();

/**
 * Starts a new session in `s` (fresh code, landing and referrer) when there is none, the last
 * hit is older than SESSION_TIMEOUT, or the page carries campaign parameters other than the
 * session's: a new ad click is a new visit, plain navigation (key '') never splits one.
 * Only page views call this. A click keeps the code already written into the link being
 * clicked, however long the page stayed open.
 */
export const rollSession = (s: State, now: number, page: { href: string; search: string }, referrer: string): void => {
  const k = campaignKey(page.search);
  if (!s.c || now - s.t! > SESSION_TIMEOUT || (k && k != s.k)) {
    s.c = makeCode();
    s.k = k;
    s.r = referrer;
    s.l = page.href;
  }
  s.t = now;
  // Four codes carry 124 random bits from crypto.getRandomValues (a little less: codes without
  // both a digit and a letter are drawn again); a generator of its own would cost bytes.
  s.v ||= makeCode() + makeCode() + makeCode() + makeCode();
};
