import { describe, expect, it } from 'vitest';
import { makeCode } from '@chatmark/shared';
import {
  CLOCK_SKEW_MS,
  DEFAULT_LOOKBACK_DAYS,
  DEFAULT_PROBABLE_WINDOW_MINUTES,
  PROBABLE_EDGE_CONFIDENCE,
  PROBABLE_MAX_CONFIDENCE,
  decideMatch,
  matchCandidates,
  probableConfidence,
  type MatchClick,
  type MatchInput,
  type MatchSession,
} from '../../src/inbound/matcher.ts';
import type { AdReferral } from '../../src/inbound/types.ts';

// Fixed codes keep failures readable; makeCode with a counter-fed generator makes them valid.
let seed = 1;
const code = (): string => makeCode((n) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16));
const A = code();
const B = code();
const C = code();

const NOW = new Date('2026-03-10T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

const session = (c: string, startedAgo = 5 * MIN, lastSeenAgo = startedAgo): MatchSession => ({
  code: c,
  startedAt: ago(startedAgo),
  lastSeenAt: ago(lastSeenAgo),
});
let clickId = 0;
const click = (sessionCode: string, msAgo: number, alreadyMatched = false): MatchClick => ({
  id: ++clickId,
  sessionCode,
  ts: ago(msAgo),
  alreadyMatched,
});
const referral: AdReferral = {
  source_id: '120208',
  source_url: 'https://fb.me/abc',
  source_type: 'ad',
  headline: 'Spring sale',
  body: null,
  ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ',
};

const input = (over: Partial<MatchInput>): MatchInput => ({
  now: NOW,
  messenger: 'whatsapp',
  startCode: null,
  codes: [],
  sessions: [],
  referral: null,
  clicks: [],
  ...over,
});

describe('matchCandidates', () => {
  it('takes a bare start parameter, in any case', () => {
    expect(matchCandidates({ startParam: A, text: `/start ${A}` })).toEqual({ startCode: A, codes: [] });
    expect(matchCandidates({ startParam: A.toLowerCase(), text: null }).startCode).toBe(A);
  });

  it('takes the code after a site prefix, as tagHref writes it', () => {
    expect(matchCandidates({ startParam: `promo-${A}`, text: null }).startCode).toBe(A);
    expect(matchCandidates({ startParam: `spring-sale_2026-${A}`, text: null }).startCode).toBe(A);
    expect(matchCandidates({ startParam: `x-${A}`, text: null }).startCode).toBe(A);
  });

  it('takes the last code when the site prefix itself looks like a code', () => {
    expect(matchCandidates({ startParam: `${B}-${A}`, text: null }).startCode).toBe(A);
  });

  it('gives no start code for a parameter without one', () => {
    expect(matchCandidates({ startParam: 'promo', text: null }).startCode).toBeNull();
    expect(matchCandidates({ startParam: 'promo-K7M2XQ9', text: null }).startCode).toBeNull();
    expect(matchCandidates({ startParam: '', text: null }).startCode).toBeNull();
  });

  it('lists the text codes in order without duplicates and without the start code', () => {
    const text = `${B} and ${A.toLowerCase()}, again ${B}; ${C}`;
    expect(matchCandidates({ startParam: null, text })).toEqual({ startCode: null, codes: [B, A, C] });
    expect(matchCandidates({ startParam: A, text })).toEqual({ startCode: A, codes: [B, C] });
  });

  it('finds nothing in an empty or code-less message', () => {
    expect(matchCandidates({ startParam: null, text: null })).toEqual({ startCode: null, codes: [] });
    expect(matchCandidates({ startParam: null, text: 'Здравствуйте, заказ 12345678 от 10.03' }).codes).toEqual([]);
  });
});

describe('decideMatch: the order', () => {
  it('start: the start parameter with a live session', () => {
    const d = decideMatch(input({ messenger: 'telegram', startCode: A, codes: [B], sessions: [session(A), session(B)] }));
    expect(d).toEqual({ method: 'start', confidence: 1, sessionCode: A, clickId: null, ad: null });
  });

  it('start beats a referral and a click', () => {
    const d = decideMatch(input({ startCode: A, sessions: [session(A)], referral, clicks: [click(B, MIN)] }));
    expect(d.method).toBe('start');
    expect(d.sessionCode).toBe(A);
  });

  it('code: a start parameter without a session falls through to the text', () => {
    const d = decideMatch(input({ messenger: 'telegram', startCode: C, codes: [A], sessions: [session(A)] }));
    expect(d).toEqual({ method: 'code', confidence: 1, sessionCode: A, clickId: null, ad: null });
  });

  it('code: the first code in text order that has a session, skipping codes without one', () => {
    const d = decideMatch(input({ codes: [C, B, A], sessions: [session(A), session(B)] }));
    expect(d.method).toBe('code');
    expect(d.sessionCode).toBe(B);
  });

  it('code: keeps the ad referral that came with it', () => {
    const d = decideMatch(input({ codes: [A], sessions: [session(A)], referral }));
    expect(d).toEqual({ method: 'code', confidence: 1, sessionCode: A, clickId: null, ad: referral });
  });

  it('ad_referral: a WhatsApp referral when no code matched, with no session', () => {
    const d = decideMatch(input({ codes: [C], referral, clicks: [click(B, MIN)] }));
    expect(d).toEqual({ method: 'ad_referral', confidence: 1, sessionCode: null, clickId: null, ad: referral });
  });

  it('ad_referral: not for Telegram, nor for a referral with every field empty', () => {
    expect(decideMatch(input({ messenger: 'telegram', referral })).method).toBe('none');
    const empty: AdReferral = { source_id: null, source_url: '', source_type: null, headline: null, body: null, ctwa_clid: null };
    const d = decideMatch(input({ referral: empty, clicks: [click(B, MIN)] }));
    expect(d.method).toBe('probable');
    expect(d.ad).toBeNull();
  });

  it('probable: one recent unmatched click', () => {
    const c = click(B, 30_000);
    const d = decideMatch(input({ codes: [C], clicks: [c] }));
    expect(d).toEqual({ method: 'probable', confidence: PROBABLE_MAX_CONFIDENCE, sessionCode: B, clickId: c.id, ad: null });
  });

  it('none: nothing found', () => {
    expect(decideMatch(input({}))).toEqual({ method: 'none', confidence: 0, sessionCode: null, clickId: null, ad: null });
  });
});

describe('decideMatch: sessions', () => {
  it('never matches a code of another site: storage passes no session for it', () => {
    // The code is valid and in the text, but the lookup was scoped to this site and found nothing.
    const d = decideMatch(input({ codes: [A], sessions: [] }));
    expect(d.method).toBe('none');
    expect(d.sessionCode).toBeNull();
  });

  it('ignores a session older than the lookback, for start and for code', () => {
    const old = session(A, (DEFAULT_LOOKBACK_DAYS + 1) * DAY);
    expect(decideMatch(input({ startCode: A, sessions: [old] })).method).toBe('none');
    expect(decideMatch(input({ codes: [A], sessions: [old] })).method).toBe('none');
    // ... and goes on down the list
    const c = click(B, MIN);
    expect(decideMatch(input({ codes: [A], sessions: [old], clicks: [c] })).clickId).toBe(c.id);
  });

  it('keeps a session at the lookback edge and honours lookbackDays', () => {
    const edge = session(A, DEFAULT_LOOKBACK_DAYS * DAY - MIN);
    expect(decideMatch(input({ codes: [A], sessions: [edge] })).method).toBe('code');
    const s = session(A, 3 * DAY);
    expect(decideMatch(input({ codes: [A], sessions: [s], options: { lookbackDays: 2 } })).method).toBe('none');
    expect(decideMatch(input({ codes: [A], sessions: [s], options: { lookbackDays: 4 } })).method).toBe('code');
  });

  it('ages a session from its last activity: a page left open keeps its code', () => {
    const s = session(A, 40 * DAY, 2 * DAY);
    expect(decideMatch(input({ codes: [A], sessions: [s] })).sessionCode).toBe(A);
  });

  it('accepts a session recorded after the message (the collector clock may trail)', () => {
    const s = session(A, -5 * MIN);
    expect(decideMatch(input({ codes: [A], sessions: [s] })).method).toBe('code');
  });

  it('only considers the candidate codes, whatever else storage passes', () => {
    expect(decideMatch(input({ codes: [A], sessions: [session(B)] })).method).toBe('none');
  });
});

describe('decideMatch: probable', () => {
  it('accepts several clicks of one session and picks the nearest', () => {
    const far = click(B, 8 * MIN);
    const near = click(B, 2 * MIN);
    const d = decideMatch(input({ clicks: [far, near, click(B, 5 * MIN)] }));
    expect(d.method).toBe('probable');
    expect(d.clickId).toBe(near.id);
    expect(d.confidence).toBe(probableConfidence(2 * MIN, DEFAULT_PROBABLE_WINDOW_MINUTES * MIN));
  });

  it('refuses when clicks of two sessions fall in the window', () => {
    const d = decideMatch(input({ clicks: [click(B, MIN), click(C, 9 * MIN)] }));
    expect(d).toEqual({ method: 'none', confidence: 0, sessionCode: null, clickId: null, ad: null });
  });

  it('ignores clicks that already led to an inquiry, as candidates and as rivals', () => {
    expect(decideMatch(input({ clicks: [click(B, MIN, true)] })).method).toBe('none');
    const d = decideMatch(input({ clicks: [click(B, MIN), click(C, 30_000, true)] }));
    expect(d.sessionCode).toBe(B);
    expect(d.confidence).toBe(PROBABLE_MAX_CONFIDENCE);
  });

  it('ignores clicks outside the window, and honours probableWindowMinutes', () => {
    const c = click(B, 12 * MIN);
    expect(decideMatch(input({ clicks: [c] })).method).toBe('none');
    expect(decideMatch(input({ clicks: [c], options: { probableWindowMinutes: 15 } })).clickId).toBe(c.id);
    expect(decideMatch(input({ clicks: [click(B, 3 * MIN)], options: { probableWindowMinutes: 2 } })).method).toBe('none');
  });

  it('clock skew: a click up to a minute after the message counts, one later does not', () => {
    const early = click(B, -(CLOCK_SKEW_MS - 1000));
    const d = decideMatch(input({ clicks: [early] }));
    expect(d.clickId).toBe(early.id);
    expect(d.confidence).toBe(PROBABLE_MAX_CONFIDENCE);
    expect(decideMatch(input({ clicks: [click(B, -(CLOCK_SKEW_MS + 1000))] })).method).toBe('none');
    // a future click beyond the skew is no rival either
    expect(decideMatch(input({ clicks: [click(B, MIN), click(C, -5 * MIN)] })).sessionCode).toBe(B);
    // within the skew, another session's click makes it ambiguous
    expect(decideMatch(input({ clicks: [click(B, MIN), click(C, -30_000)] })).method).toBe('none');
  });

  it('lowers the confidence for other sessions just outside the window', () => {
    const alone = decideMatch(input({ clicks: [click(B, 9 * MIN)] })).confidence;
    const rivalled = decideMatch(input({ clicks: [click(B, 9 * MIN), click(C, 11 * MIN)] })).confidence;
    const farRival = decideMatch(input({ clicks: [click(B, 9 * MIN), click(C, 16 * MIN)] })).confidence;
    // delays ~ exponential with mean window/5 = 2 min: the rival, 2 min staler, weighs e^-1 of ours
    expect(rivalled).toBeCloseTo(alone / (1 + Math.exp(-1)), 2);
    expect(rivalled).toBeLessThan(alone * 0.75);
    expect(farRival).toBe(alone);
    // a stale rival barely matters next to a fresh click
    const fresh = decideMatch(input({ clicks: [click(B, 30_000), click(C, 10.5 * MIN)] })).confidence;
    expect(fresh).toBeGreaterThan(0.93);
    // the rival's own clicks count once, by the nearest
    const twice = decideMatch(input({ clicks: [click(B, 9 * MIN), click(C, 11 * MIN), click(C, 14 * MIN)] })).confidence;
    expect(twice).toBe(rivalled);
  });
});

describe('probableConfidence', () => {
  const W = DEFAULT_PROBABLE_WINDOW_MINUTES * MIN;

  it('is 0.95 within a minute and 0.5 at the window end', () => {
    expect(probableConfidence(0, W)).toBe(PROBABLE_MAX_CONFIDENCE);
    expect(probableConfidence(MIN, W)).toBe(PROBABLE_MAX_CONFIDENCE);
    expect(probableConfidence(W, W)).toBe(PROBABLE_EDGE_CONFIDENCE);
  });

  it('is non-increasing in the gap, strictly past the first minute, with or without rivals', () => {
    for (const rivals of [[], [W + 30_000], [W + MIN, W + 3 * MIN]]) {
      let prev = Infinity;
      for (let gap = 0; gap <= W; gap += 5_000) {
        const c = probableConfidence(gap, W, rivals);
        expect(c).toBeLessThanOrEqual(prev);
        if (gap > MIN + 20_000 && rivals.length === 0) expect(c).toBeLessThan(prev);
        expect(c).toBeGreaterThan(0);
        expect(c).toBeLessThanOrEqual(1);
        prev = c;
      }
    }
  });

  it('treats a click a moment after the message like one at the same instant', () => {
    expect(probableConfidence(-30_000, W)).toBe(probableConfidence(0, W));
  });

  it('copes with a window no longer than the prompt minute', () => {
    expect(probableConfidence(30_000, MIN)).toBe(PROBABLE_MAX_CONFIDENCE);
    expect(probableConfidence(30_000, 30_000)).toBe(PROBABLE_MAX_CONFIDENCE);
  });
});
