// Visit codes: one per website session. The snippet writes one into the prefilled chat message
// ("Номер обращения: K7M2XQ9P") or a Telegram `?start=`; the collector later finds it in the
// first message the customer sends.
//
// Design
// - 8 characters from Crockford base32, so it reads like an order number, has no look-alike
//   characters (no I L O U) and is a valid Telegram start parameter as it stands
//   (A-Z0-9 only, far below 64 chars, cannot begin with `_tgr_`).
// - 6 random data characters (30 bits) + 2 check characters (10 bits). Codes are only looked up
//   among the recent sessions of one site, so 30 bits keeps accidental collisions negligible
//   (e.g. 100,000 live codes → a new code collides with probability ~1e-4) while staying short.
// - Check rule: read all 8 characters as one base-32 number N; a code is valid iff N ≡ 0 (mod 1021).
//   1021 is the largest prime below 2^10, so the two check characters can always hold the
//   remainder and a random 8-character string passes with probability ~1/1021. Because 1021 is
//   prime and coprime to 32 and 31, every single substitution (changes N by d·32^k, 0<|d|≤31)
//   and every adjacent transposition (changes N by ±31·32^k·d) leaves N ≢ 0, i.e. all such typos
//   are detected, including ones that touch the check characters.
// - Every code contains at least one digit and one letter. Ordinary words have no digits and
//   phone numbers, dates and prices have no letters, so the parser can demand both and throw
//   those away before the 1/1021 check ever gets a chance to pass them by luck.
//
// makeCode is bundled into the browser snippet (1.5 KB gzip budget in total), so it is kept
// tiny and shares nothing with the parser below, which only the server needs.

export const CODE_LENGTH = 8;
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MOD = 1021;

/**
 * A new canonical visit code (upper case, no separators).
 * `random(n)` must return n fresh random bytes on every call; it is called again (about one time
 * in twenty) when a draw has no digit or no letter.
 */
export function makeCode(
  random: (n: number) => Uint8Array = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
): string {
  for (;;) {
    let s = '';
    let m = 0;
    // 256 is a multiple of 32, so the low 5 bits of a uniform byte are uniform.
    for (const b of random(6)) {
      m = (m * 32 + (b & 31)) % MOD;
      s += CODE_ALPHABET[b & 31];
    }
    // Appending two base-32 digits multiplies N by 1024; pick the remainder that cancels it.
    m = (MOD - ((m * 1024) % MOD)) % MOD;
    s += CODE_ALPHABET[m >> 5]! + CODE_ALPHABET[m & 31];
    if (/\d/.test(s) && /\D/.test(s)) return s;
  }
}

/** Whether `s` is a canonical visit code (exactly as makeCode produces it). */
export function isCode(s: string): boolean {
  if (s.length !== CODE_LENGTH || !/\d/.test(s) || !/\D/.test(s)) return false;
  let m = 0;
  for (const c of s) {
    const v = CODE_ALPHABET.indexOf(c);
    if (v < 0) return false;
    m = (m * 32 + v) % MOD;
  }
  return m === 0;
}

// ---------------------------------------------------------------------------------------------
// Tolerant parsing (server side only)

// Maps every character that may appear in a typed or pasted code to its canonical character:
// any case, Crockford's O→0 and I/L→1, and the Cyrillic letters a Russian keyboard layout
// produces for the Latin ones they look like. U stays unmapped: Crockford leaves it out and a
// typed U is far likelier part of a word than a misread V.
const CHAR_MAP: Readonly<Record<string, string>> = /* @__PURE__ */ buildCharMap();

function buildCharMap(): Record<string, string> {
  const map: Record<string, string> = {};
  for (const c of CODE_ALPHABET) map[c] = map[c.toLowerCase()] = c;
  const extra: Record<string, string> = {
    O: '0', I: '1', L: '1',
    А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: '0', Р: 'P', С: 'C', Т: 'T', Х: 'X',
  };
  for (const [from, to] of Object.entries(extra)) map[from] = map[from.toLowerCase()] = to;
  return map;
}

// A word is a maximal run of letters, digits and combining marks: anything of that kind glued
// to a code (a Latin letter, a Cyrillic "б", an accent, a digit) makes it part of a longer word.
// Variation selectors and enclosing marks are left out because they belong to emoji ("❤️",
// keycap "1️⃣"), which people put right next to a code.
// A keycap emoji (1️⃣ = '1' + VS16 + U+20E3) glued to a code is a picture, not a digit of it.
const WORD = /(?:(?![\uFE00-\uFE0F])(?![0-9#*]\uFE0F?\u20E3)[\p{L}\p{N}\p{Mn}\p{Mc}])+/gu;

// People split long codes like phone numbers ("K7M2 XQ9P", "K7M-2XQ-9P"). Only one separator
// character may sit between two groups, and one code may use only one kind of separator, which
// keeps prose ("ok, see you at 10.") from being stitched into candidates.
function separatorKind(ch: string | undefined): number {
  switch (ch) {
    case ' ':
    case '\u00a0': // no-break space, inserted by some keyboards and clipboard conversions
    case '\u202f': // narrow no-break space
      return 1;
    case '-':
    case '\u2010': // hyphen
    case '\u2011': // non-breaking hyphen
    case '\u2013': // en dash: phones autocorrect "-" between groups into it
      return 2;
    case '.':
      return 3;
    case '_':
      return 4;
    default:
      return 0;
  }
}

interface Group {
  /** canonical characters, or null if the word can never be part of a code */
  readonly canon: string | null;
  /** whether it holds an ASCII digit as typed (O, I, L mapped to digits do not count) */
  readonly digit: boolean;
  readonly start: number;
  readonly end: number;
}

interface Match {
  readonly code: string;
  readonly start: number;
  readonly end: number;
}

function toGroup(word: string, start: number): Group {
  let canon: string | null = null;
  if (word.length <= CODE_LENGTH) {
    canon = '';
    for (const ch of word) {
      const c = CHAR_MAP[ch];
      if (c === undefined) {
        canon = null;
        break;
      }
      canon += c;
    }
  }
  return { canon, digit: /[0-9]/.test(word), start, end: start + word.length };
}

// Every run of whole adjacent groups in a chain that spells exactly CODE_LENGTH characters is
// a candidate; codes are never cut out of the middle of a word.
function matchesInChain(chain: readonly Group[], seps: readonly number[], out: Match[]): void {
  for (let i = 0; i < chain.length; i++) {
    let code = '';
    let digit = false;
    for (let j = i; j < chain.length; j++) {
      const g = chain[j]!;
      if (g.canon === null || (j > i && seps[j - 1] !== seps[i])) break;
      code += g.canon;
      digit ||= g.digit;
      if (code.length >= CODE_LENGTH) {
        // A typed digit is required on top of isCode's own digit+letter rule, so words whose
        // O/I/L turn into digits ("HOTEL" → "H0TE1") cannot qualify.
        if (code.length === CODE_LENGTH && digit && isCode(code)) {
          out.push({ code, start: chain[i]!.start, end: g.end });
        }
        break;
      }
    }
  }
}

function scan(text: string): Match[] {
  const out: Match[] = [];
  let chain: Group[] = [];
  let seps: number[] = [];
  for (const m of text.matchAll(WORD)) {
    const g = toGroup(m[0], m.index);
    const prev = chain[chain.length - 1];
    const kind = prev && g.start - prev.end === 1 ? separatorKind(text[prev.end]) : 0;
    if (kind) {
      chain.push(g);
      seps.push(kind);
    } else {
      matchesInChain(chain, seps, out);
      chain = [g];
      seps = [];
    }
  }
  matchesInChain(chain, seps, out);
  return out;
}

/**
 * The canonical code if the whole of `input` (e.g. a query parameter or a start parameter) is
 * one visit code under the same tolerance as findCodes, else null.
 */
export function normalizeCode(input: string): string | null {
  const text = input.trim();
  const first = scan(text)[0];
  // Matches come in order of start, so a match spanning the whole input would be the first one.
  return first && first.start === 0 && first.end === text.length ? first.code : null;
}

/**
 * All visit codes in a chat message, canonical, in order of first appearance, without
 * duplicates.
 */
export function findCodes(text: string): string[] {
  return [...new Set(scan(text).map((m) => m.code))];
}
