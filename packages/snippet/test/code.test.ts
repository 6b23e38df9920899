import { describe, expect, it } from 'vitest';
import { findCodes, isCode, normalizeCode } from '../../shared/src/visit-code.ts';
import { makeCode } from '../src/code.ts';

// The snippet makes its codes with a generator of its own; the collector checks them with
// shared isCode (a hit with any other code is refused) and finds them in messages with findCodes.
describe("the snippet's makeCode", () => {
  it('makes codes the collector accepts and finds (10,000 of them)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const code = makeCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(isCode(code), code).toBe(true);
      expect(normalizeCode(code)).toBe(code);
      seen.add(code);
    }
    // 31 random bits: 10,000 draws should essentially never repeat.
    expect(seen.size).toBeGreaterThan(9_990);
    for (const code of [...seen].slice(0, 200)) expect(findCodes(`Номер обращения: ${code}`)).toEqual([code]);
  });

  it('spreads codes over the whole alphabet and every position', () => {
    const counts = Array.from({ length: 8 }, () => new Map<string, number>());
    for (let i = 0; i < 20_000; i++) [...makeCode()].forEach((c, p) => counts[p]!.set(c, (counts[p]!.get(c) ?? 0) + 1));
    // the first character is the top of a 40-bit number: 0-F only (half the alphabet); the check
    // characters follow from the rest; every other position uses all 32 characters evenly
    for (const p of [1, 2, 3, 4, 5]) {
      expect(counts[p]!.size, `position ${p}`).toBe(32);
      for (const n of counts[p]!.values()) expect(n).toBeGreaterThan(400);
    }
  });
});
