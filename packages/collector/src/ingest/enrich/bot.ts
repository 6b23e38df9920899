import { isbot } from 'isbot';

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
  if (userAgent.trim() === '') return true;
  return isbot(userAgent) || EXTRA.test(userAgent);
}
