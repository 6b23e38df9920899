import { isbot } from 'isbot';
import { Lru } from '../../app/lru.ts';

// What isbot 5 does not catch on its own: Lighthouse when it runs without the "Chrome-" prefix
// (PageSpeed desktop runs). The messengers' link-preview fetchers are caught by isbot already, but
// they are named here too because they matter most to us: every wa.me or t.me link shared in a
// chat is fetched by them, and each fetch would otherwise be a session from nowhere.
const EXTRA = /lighthouse|headlesschrome|ptst\/|telegrambot|^whatsapp\/|vkshare|facebookexternalhit|facebookcatalog/i;

/**
 * Whether a User-Agent belongs to a crawler, a link-preview fetcher, a headless browser or a
 * script. An absent or blank UA counts as a bot: every real browser sends one.
 *
 * Headless Chromium (our own e2e tests among others) answers true here; the collector still
 * records such sessions, flagged, and leaves them out of reports.
 */
export function isBot(userAgent: string): boolean {
  // Remembered only for UAs of a browser's length, so that junk headers cannot fill memory.
  const remember = userAgent.length <= 500;
  let bot = remember ? verdicts.get(userAgent) : undefined;
  if (bot === undefined) {
    bot = userAgent.trim() === '' || isbot(userAgent) || EXTRA.test(userAgent);
    if (remember) verdicts.set(userAgent, bot);
  }
  return bot;
}

// isbot's pattern costs ~4 µs a test and every new session asks it; a site sees few distinct UAs.
const verdicts = new Lru<boolean>(5_000);
