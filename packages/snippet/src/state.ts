import type { SnippetSettings } from '../../shared/src/hit.ts';

/**
 * Everything the snippet remembers between page views: one localStorage entry per site. Keys
 * are short because the entry is written on every hit, and must stay stable: renaming one would
 * end every visitor's session the day a new snippet version ships.
 */
export interface State {
  /** visitor id */
  v?: string;
  /** the session's visit code */
  c?: string;
  /** time of the last hit (ms) */
  t?: number;
  /** campaign key of the session's landing */
  k?: string;
  /** the session's referrer and landing URL */
  r?: string;
  l?: string;
  /** the site's settings from the last answer, so the next page tags before its own answer */
  s?: SnippetSettings;
  /** opted out (chatmark.optOut) */
  o?: 1;
}

/**
 * The state stored under `key`, or `fallback` when storage is blocked (sandboxed iframes, some
 * privacy modes) or holds nothing usable: then the caller's in-memory copy lives on for as long
 * as the page does.
 */
export const load = (key: string, fallback: State): State => {
  try {
    const s = JSON.parse(localStorage[key]);
    if (s.v || s.o) return s;
  } catch {}
  return fallback;
};

export const save = (key: string, s: State): void => {
  try {
    localStorage[key] = JSON.stringify(s);
  } catch {}
};
