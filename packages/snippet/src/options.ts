import type { SnippetSettings } from '../../shared/src/hit.ts';
import type { TagOptions } from '../../shared/src/links.ts';

/**
 * Only used until the site's settings first arrive, and then only on a clicked link (see
 * tagger.ts). Language-neutral on purpose: the site's template, in its language, comes with the
 * first answer.
 */
export const DEFAULT_TEMPLATE = '{text}\n\nRef: {code}';

/** The script tag's data-* attributes that override the site's settings. */
export interface Overrides {
  template?: string;
  numbers?: string;
  telegram?: string;
}

// "+7 (999) 123-45-67, 79990000000" → digits; "@Shop, shop_bot" → lower-case usernames. An empty
// attribute counts as absent: [""] would match no number at all and switch tagging off.
const list = (s: string | undefined, junk: RegExp) => s && s.split(',').map((x) => x.replace(junk, '').toLowerCase());

/** Tagging options: the tag's attributes first, then the site's settings, then the defaults. */
export const tagOptions = (code: string, o: Overrides, s: Partial<SnippetSettings> = {}): TagOptions => ({
  code,
  template: o.template || s.tpl || DEFAULT_TEMPLATE,
  wa: list(o.numbers, /\D/g) || s.wa,
  tg: list(o.telegram, /\W/g) || s.tg,
  bots: s.bots,
});
