// The snippet's own visit-code generator: a few bytes instead of shared makeCode's ~260, making
// codes of the same scheme (shared/visit-code.ts: Crockford base32, 6 random characters and 2
// check characters so that the 40-bit number is ≡ 0 mod 1021), which isCode accepts
// (test/code.test.ts checks 10,000 of them).
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function makeCode(): string {
  for (;;) {
    // 30 random bits, shifted past the two check characters. Adding 1021 - n % 1021 (1 to 1021,
    // under 1024) makes n divisible by 1021 and touches only those two characters.
    let n = (crypto.getRandomValues(new Uint32Array(1))[0]! % 2 ** 30) * 1024;
    let s = '';
    n += 1021 - (n % 1021);
    // Base 32 from the last character: dividing by 32 is exact in a double, so n % 32 is the
    // digit plus a fraction from the ones already written.
    for (let i = 8; i--; n /= 32) s = ALPHABET[n % 32 | 0] + s;
    // The parser demands a digit and a letter (words and phone numbers never qualify).
    if (/\d/.test(s) && /\D/.test(s)) return s;
  }
}
