/**
 * What the snippet sends to `POST /v1/hit` (text/plain JSON, so no CORS preflight) and what it
 * gets back. Short keys: the snippet's whole budget is 1.5 KB gzip and every hit carries them.
 */
export interface Hit {
  /** site key (data-site) */
  k: string;
  /** pageview, chat click, or a custom event from chatmark.track() */
  t: 'pv' | 'click' | 'event';
  /** visitor id: random, ≥ 96 bits, kept in localStorage */
  v: string;
  /** the session's visit code */
  c: string;
  /** the page's URL (location.href) */
  u: string;
  /** document.title */
  ti?: string;
  /** the session's first document.referrer ('' when none), sent with every hit so a lost first hit loses nothing */
  r?: string;
  /** the session's landing URL, likewise */
  l?: string;
  /** screen width, height, device pixel ratio, viewport width, height */
  sw?: number;
  sh?: number;
  dpr?: number;
  vw?: number;
  vh?: number;
  /** navigator.language */
  la?: string;
  /** Intl time zone, e.g. Europe/Moscow */
  tz?: string;
  /** UA client hints where the browser has them (Chromium): platform, platformVersion, model, mobile */
  ch?: { p?: string; pv?: string; m?: string; mo?: boolean };
  /** chat click: messenger and target (digits of the number, or lower-case username; '' when none) */
  m?: 'wa' | 'tg';
  to?: string;
  /** custom event name and properties (chatmark.track) */
  e?: string;
  p?: Record<string, string | number | boolean | null>;
}

/** The answer to a pageview: settings for tagging, and a replacement code when the sent one collided. */
export interface HitAnswer {
  /** a fresh code to use instead of the one sent (it belonged to another visitor) */
  c?: string;
  /** the site's tagging settings */
  s: SnippetSettings;
}

export interface SnippetSettings {
  /** message template with {text} and {code}, already resolved for the site's language */
  tpl: string;
  /** the site's WhatsApp numbers (digits); empty: tag every number */
  wa: string[];
  /** the site's Telegram usernames (lower case); empty: tag every username */
  tg: string[];
  /** usernames to treat as bots even without the "bot" suffix */
  bots: string[];
}
