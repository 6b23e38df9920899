// The matcher: which website visit (if any) a customer's first chat message came from.
//
// Pure decision logic. Storage calls it in two steps so that the database is asked only for what
// can matter:
//   1. matchCandidates(msg) → the canonical codes worth looking up (start parameter, then text);
//   2. storage loads this channel's site's sessions with those codes and, when none of them
//      matched, the recent chat clicks to this channel's number/username; then decideMatch(input).
// Scoping by site is storage's job: sessions of other sites are never passed in, which is what
// makes "a code of another site is never matched" hold by construction.
//
// Order (DESIGN "Match methods"): start → code → ad_referral → probable → none. Exact evidence
// always beats inference, and a code that finds no session is simply not evidence: matching goes
// on down the list as if it were not there.

import { findCodes, normalizeCode } from '@chatmark/shared';
import type { AdReferral, InboundMessage } from './types.ts';

/** How far back a visit may be for its code to still count. */
export const DEFAULT_LOOKBACK_DAYS = 30;
/** How long before the message a chat click may be to be a probable match. */
export const DEFAULT_PROBABLE_WINDOW_MINUTES = 10;
/**
 * Clicks are stamped by the collector's clock, messages by the platform's (Telegram's to the
 * second, truncated), so a click that led to a message can look up to this much younger than it.
 */
export const CLOCK_SKEW_MS = 60_000;
/** Probable-match confidence for a click within PROBABLE_PROMPT_MS of the message. */
export const PROBABLE_MAX_CONFIDENCE = 0.95;
/** Probable-match confidence for a click at the far end of the window, with no competitors. */
export const PROBABLE_EDGE_CONFIDENCE = 0.5;
/** A gap this short is what tapping "send" on a prefilled message takes: no decay within it. */
export const PROBABLE_PROMPT_MS = 60_000;

export type MatchMethod = 'start' | 'code' | 'ad_referral' | 'probable' | 'none';

export interface MatchCandidates {
  /** the code carried by the Telegram start parameter, canonical; null when there is none */
  startCode: string | null;
  /** the codes in the text, canonical, in order of appearance, without duplicates and without startCode */
  codes: string[];
}

export interface MatchSession {
  code: string;
  startedAt: Date;
  lastSeenAt: Date;
}

export interface MatchClick {
  id: number;
  sessionCode: string;
  ts: Date;
  /** the click already led to an inquiry (by any method) */
  alreadyMatched: boolean;
}

export interface MatchOptions {
  lookbackDays?: number;
  probableWindowMinutes?: number;
}

export interface MatchInput {
  /** the message's timestamp */
  now: Date;
  messenger: 'whatsapp' | 'telegram';
  startCode: string | null;
  codes: string[];
  /** sessions of THIS site with the candidate codes; codes of other sites are never passed in */
  sessions: MatchSession[];
  referral: AdReferral | null;
  /** recent chat clicks to this channel's number/username, matched or not */
  clicks: MatchClick[];
  options?: MatchOptions;
}

export interface MatchDecision {
  method: MatchMethod;
  /** 0..1: 1 for exact evidence, the probability estimate for `probable`, 0 for `none` */
  confidence: number;
  sessionCode: string | null;
  /** the click a probable match chose */
  clickId: number | null;
  /** the WhatsApp ad referral whenever the message carried one, whatever the method */
  ad: AdReferral | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The codes to look up for a message: the start parameter's code, then every code in the text.
 * Storage looks up `[startCode, ...codes]` (no duplicates between them).
 */
export function matchCandidates(msg: Pick<InboundMessage, 'text' | 'startParam'>): MatchCandidates {
  const startCode = msg.startParam ? startParamCode(msg.startParam) : null;
  const codes = msg.text ? findCodes(msg.text).filter((c) => c !== startCode) : [];
  return { startCode, codes };
}

// The snippet writes either the bare code or, when the site's link already had a start value,
// `<value>-<CODE>` (links.ts tagHref). The site's value is free-form ([A-Za-z0-9_-]), so the code
// is taken as the LAST one the tolerant parser finds: that is where tagHref puts it, and a value
// that happens to hold something code-shaped earlier on must not win over it.
function startParamCode(param: string): string | null {
  const whole = normalizeCode(param);
  if (whole) return whole;
  const found = findCodes(param);
  return found[found.length - 1] ?? null;
}

/** Decides how a first message is attributed, from what storage found for its candidates. */
export function decideMatch(input: MatchInput): MatchDecision {
  const now = input.now.getTime();
  const lookbackDays = input.options?.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const windowMs = (input.options?.probableWindowMinutes ?? DEFAULT_PROBABLE_WINDOW_MINUTES) * MINUTE;
  const ad = input.messenger === 'whatsapp' && hasReferral(input.referral) ? input.referral : null;

  const live = liveSessions(input.sessions, now - lookbackDays * DAY);
  if (input.startCode && live.has(input.startCode)) {
    return { method: 'start', confidence: 1, sessionCode: input.startCode, clickId: null, ad };
  }
  // Several codes with sessions is rare (a customer pasting two links, or quoting an old visit):
  // the first in text order wins, because the prefill puts its code where the customer found it
  // and later ones are more likely quotes or additions. Deterministic either way.
  for (const code of input.codes) {
    if (live.has(code)) return { method: 'code', confidence: 1, sessionCode: code, clickId: null, ad };
  }
  if (ad) return { method: 'ad_referral', confidence: 1, sessionCode: null, clickId: null, ad };

  const probable = probableClick(input.clicks, now, windowMs);
  if (probable) {
    return { method: 'probable', confidence: probable.confidence, sessionCode: probable.click.sessionCode, clickId: probable.click.id, ad: null };
  }
  return { method: 'none', confidence: 0, sessionCode: null, clickId: null, ad: null };
}

// An adapter may hand over a referral object whose every field is empty (a provider that always
// sends the key): that attributes nothing, and claiming `ad_referral` for it would hide the
// visit a probable click could still find.
function hasReferral(r: AdReferral | null): r is AdReferral {
  return !!r && Object.values(r).some((v) => v != null && v !== '');
}

// The lookback runs from the session's LAST activity, not its start: a click keeps the code
// already written into the link however long the page stayed open (snippet/session.ts), so the
// last time the site showed the code is what ages it. Storage may prefilter on started_at for its
// index, which only ever narrows this.
//
// No upper bound: a code is exact evidence, and the session row's times are the collector's clock
// at the first hit, which can trail the browser (a beacon retried later) — a message "before" its
// session is a clock artefact, not a reason to lose an exact match.
function liveSessions(sessions: readonly MatchSession[], since: number): Set<string> {
  const live = new Set<string>();
  for (const s of sessions) {
    if (Math.max(s.startedAt.getTime(), s.lastSeenAt.getTime()) >= since) live.add(s.code);
  }
  return live;
}

function probableClick(
  clicks: readonly MatchClick[],
  now: number,
  windowMs: number,
): { click: MatchClick; confidence: number } | null {
  // Clicks that already led to an inquiry are explained, so they neither compete nor get chosen.
  // Clicks later than now + skew cannot have caused this message.
  const open = clicks.filter((c) => !c.alreadyMatched && c.ts.getTime() <= now + CLOCK_SKEW_MS);
  const inWindow = open.filter((c) => c.ts.getTime() >= now - windowMs);
  if (inWindow.length === 0) return null;
  // Several clicks of one session (a double tap, a second look) are one visitor; two sessions are
  // two visitors who may both be writing, and guessing between them would be wrong half the time.
  const session = inWindow[0]!.sessionCode;
  if (inWindow.some((c) => c.sessionCode !== session)) return null;

  // The click nearest the message is the one that opened the chat.
  let click = inWindow[0]!;
  for (const c of inWindow) if (Math.abs(c.ts.getTime() - now) < Math.abs(click.ts.getTime() - now)) click = c;
  const gap = Math.max(0, now - click.ts.getTime());

  // Other visitors whose click falls just before the window may be slow writers of this very
  // message; their best (nearest) click per session competes. Beyond 1.5 windows their weight
  // below is under e^-7.5 of a fresh click's, so looking further changes nothing.
  const rivals = new Map<string, number>();
  for (const c of open) {
    const g = now - c.ts.getTime();
    if (c.sessionCode === session || g <= windowMs || g > windowMs * 1.5) continue;
    rivals.set(c.sessionCode, Math.min(g, rivals.get(c.sessionCode) ?? Infinity));
  }
  return { click, confidence: probableConfidence(gap, windowMs, [...rivals.values()]) };
}

/**
 * Confidence of a probable match whose click came `gapMs` before the message, given the gaps of
 * other sessions' unmatched clicks just outside the window (one per session).
 *
 * Base curve: PROBABLE_MAX_CONFIDENCE up to PROBABLE_PROMPT_MS, then exponential decay to
 * PROBABLE_EDGE_CONFIDENCE at the window's end. Why that shape: the other explanation of a
 * message after a lone click is a writer the site never saw (number copied from a card, a
 * returning customer on another device, the click's visitor giving up). Such writers arrive
 * roughly as a Poisson stream, so the chance that none slipped in during the gap falls like
 * exp(-λ·gap) — exponential, not linear. The 0.95 ceiling leaves room for that even when the
 * message follows at once; 0.5 at the edge says "as likely as not", which is where a fixed
 * window stops being informative.
 *
 * Rivals: a visitor whose click is just outside the window could have written this message as
 * well, the edge being arbitrary. Delays from click to message are modelled as exponential with
 * mean window/5, i.e. the window is taken to hold ~99% of real delays (e^-5), which is the
 * assumption that makes its length right in the first place. The base is multiplied by the
 * chosen click's share of that likelihood among all candidates, so a rival barely outside the
 * window next to a chosen click barely inside it nearly halves the confidence, while a rival
 * 10 minutes staler than a click 30 s old costs under 1%.
 *
 * Non-increasing in gapMs for fixed rivals (both factors are), which callers may rely on.
 */
export function probableConfidence(gapMs: number, windowMs: number, rivalGapsMs: readonly number[] = []): number {
  const gap = Math.max(0, gapMs);
  const prompt = Math.min(PROBABLE_PROMPT_MS, windowMs);
  const span = windowMs - prompt;
  const t = span > 0 ? Math.min(1, Math.max(0, gap - prompt) / span) : 0;
  const base = PROBABLE_MAX_CONFIDENCE * (PROBABLE_EDGE_CONFIDENCE / PROBABLE_MAX_CONFIDENCE) ** t;

  const tau = windowMs / 5;
  let rivals = 0;
  // Weights relative to the chosen click's, so that nothing underflows however large the gaps.
  for (const g of rivalGapsMs) rivals += Math.exp((gap - g) / tau);
  return Math.round(base * (1 / (1 + rivals)) * 1000) / 1000;
}
