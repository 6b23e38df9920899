// The snippet's own visit-code generator: a few bytes where shared makeCode costs ~260, making
// codes of the same scheme (shared/visit-code.ts: 8 Crockford base-32 characters whose 40-bit
// number is ≡ 0 mod 1021, with a digit and a letter), which the collector's isCode accepts
// (test/code.test.ts checks that over 10,000 of them).
export const makeCode = (): string => {
  // 31 random bits above 8 zero bits: adding 1021 - n % 1021 (1 to 1021, 10 bits at most,
  // carried into the random ones at worst) makes the number divisible by 1021 and keeps it
  // under 2^40, eight characters.
  let n = (crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1) * 256;
  let s = '';
  n += 1021 - (n % 1021);
  // Base 32 (Crockford's alphabet, written out where it is used: a constant of its own costs
  // 7 B) from the last character: dividing by 32 is exact in a double, so n % 32 is the digit
  // plus a fraction left from the ones already written.
  for (let i = 8; i--; n /= 32) s = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[n % 32 | 0] + s;
  // The parser wants a digit and a letter (words and phone numbers never qualify): drawn again
  // (about one time in twenty).
  return /^(\d+|\D+)$/.test(s) ? makeCode() : s;
};
