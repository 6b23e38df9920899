import { describe, it, expect } from 'vitest';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  findCodes,
  isCode,
  makeCode,
  normalizeCode,
} from '../src/visit-code.ts';

// Deterministic PRNG so that the statistical tests are reproducible.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function byteSource(seed: number): (n: number) => Uint8Array {
  const rnd = mulberry32(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
}

// Feeds makeCode the given data characters, so tests can pin codes to known values.
function dataBytes(data: string): () => Uint8Array {
  return () => Uint8Array.from([...data].map((c) => CODE_ALPHABET.indexOf(c)));
}

// The check rule written out independently of the module: the 8 characters as a base-32
// number must be divisible by 1021.
function checksumHolds(s: string): boolean {
  let m = 0;
  for (const c of s) m = (m * 32 + CODE_ALPHABET.indexOf(c)) % 1021;
  return m === 0;
}

const K = 'K7M2XQ91';
const A = 'A1B0EH1B'; // holds 0 and 1, for Crockford's O/I/L
const T = 'TP3CMXFX'; // T P C M X all have Cyrillic twins
const H = '7KH4BENA'; // K H B E A all have Cyrillic twins

describe('makeCode', () => {
  it('pins the check rule: codes issued earlier must keep validating', () => {
    expect(makeCode(dataBytes('K7M2XQ'))).toBe(K);
    expect(makeCode(dataBytes('A1B0EH'))).toBe(A);
    expect(makeCode(dataBytes('TP3CMX'))).toBe(T);
    expect(makeCode(dataBytes('7KH4BE'))).toBe(H);
    for (const c of [K, A, T, H]) expect(isCode(c)).toBe(true);
  });

  it('always makes a valid canonical code that is also a Telegram start parameter', () => {
    const random = byteSource(1);
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const code = makeCode(random);
      expect(code).toHaveLength(CODE_LENGTH);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(code).toMatch(/[0-9]/);
      expect(code).toMatch(/[A-Z]/);
      expect(isCode(code)).toBe(true);
      expect(checksumHolds(code)).toBe(true);
      expect(normalizeCode(code)).toBe(code);
      expect(findCodes(`Номер обращения: ${code}`)).toEqual([code]);
      // Telegram: base64url characters, 1..64 long, and `_tgr_` would make it a referral link.
      expect(code).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(code.startsWith('_tgr_')).toBe(false);
      seen.add(code);
    }
    // 30 random bits: 20,000 draws should essentially never repeat.
    expect(seen.size).toBeGreaterThan(19_990);
  });

  it('uses crypto.getRandomValues by default', () => {
    const a = makeCode();
    const b = makeCode();
    expect(isCode(a)).toBe(true);
    expect(isCode(b)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('draws again when a draw has no digit or no letter', () => {
    const draws = ['KMXQPT', 'K7M2XQ'].map(dataBytes);
    let calls = 0;
    // 'KMXQPT' gets check characters without a digit, so it must be thrown away.
    expect(makeCode(() => draws[calls++]!())).toBe(K);
    expect(calls).toBe(2);
  });
});

describe('isCode', () => {
  it('accepts only canonical codes', () => {
    expect(isCode(K)).toBe(true);
    expect(isCode(K.toLowerCase())).toBe(false);
    expect(isCode(`${K.slice(0, 4)}-${K.slice(4)}`)).toBe(false);
    expect(isCode(K.slice(1))).toBe(false);
    expect(isCode(`${K}0`)).toBe(false);
    expect(isCode('')).toBe(false);
    expect(isCode('A1BOEH1B')).toBe(false); // O is not canonical
  });

  it('rejects strings that satisfy the checksum but are all digits or all letters', () => {
    const rnd = mulberry32(7);
    let digitsOnly: string | undefined;
    let lettersOnly: string | undefined;
    while (!digitsOnly || !lettersOnly) {
      const d = Array.from({ length: 8 }, () => CODE_ALPHABET[Math.floor(rnd() * 10)]).join('');
      const l = Array.from({ length: 8 }, () => CODE_ALPHABET[10 + Math.floor(rnd() * 22)]).join('');
      if (checksumHolds(d)) digitsOnly = d;
      if (checksumHolds(l)) lettersOnly = l;
    }
    expect(isCode(digitsOnly)).toBe(false);
    expect(isCode(lettersOnly)).toBe(false);
    expect(findCodes(`call ${digitsOnly} or ${lettersOnly}`)).toEqual([]);
  });

  it('accepts about 1/1021 of random 8-character strings over the alphabet', () => {
    const rnd = mulberry32(11);
    const n = 400_000;
    let passed = 0;
    for (let i = 0; i < n; i++) {
      let s = '';
      for (let k = 0; k < 8; k++) s += CODE_ALPHABET[Math.floor(rnd() * 32)];
      if (isCode(s)) passed++;
    }
    // Expected n · P(digit and letter) / 1021 ≈ 400,000 · 0.95 / 1021 ≈ 372 (σ ≈ 19).
    expect(passed).toBeGreaterThan(290);
    expect(passed).toBeLessThan(460);
  });
});

describe('findCodes: tolerance', () => {
  const cases: Array<[string, string[]]> = [
    [K, [K]],
    [K.toLowerCase(), [K]],
    ['k7M2xQ91', [K]],
    [`Номер обращения: ${K}`, [K]],
    [`Номер обращения:${K}!!`, [K]],
    [`(ref: ${K}).`, [K]],
    [`/start ${K}`, [K]],
    [`/start promo-${K}`, [K]],
    ['k7m2 xq91', [K]],
    ['K7M-2XQ-91', [K]],
    ['K 7 M 2 X Q 9 1', [K]],
    ['K7M2.XQ91', [K]],
    ['K7M2_XQ91', [K]],
    ['K7M2XQ9 1', [K]],
    ['K7M2\u00a0XQ91', [K]], // no-break space
    ['K7M2–XQ91', [K]], // en dash from autocorrect
    [`${K} здравствуйте, сколько стоит доставка?`, [K]],
    [`Hello, my order is ${K}`, [K]],
    [`Your code is K7M2 XQ91 thanks`, [K]],
    [`🙂${K}🙂`, [K]],
    [`👍🏽 ${K} 👍🏽`, [K]],
    [`❤️${K}❤️`, [K]], // emoji with a variation selector, glued
    [`1️⃣${K}`, [K]], // keycap emoji: digit + variation selector + enclosing mark
    [`Здравствуйте!\n${K}\nХочу заказать`, [K]],
    [`«${K}»`, [K]],
    [`#${K}`, [K]],
    [`https://example.com/?vc=${K}&x=1`, [K]],
    ['a1bOeh1b', [A]], // O typed for 0
    ['AIB0EHLB', [A]], // I and L typed for 1
    ['А1В0ЕН1В', [A]], // Cyrillic А В Е Н
    ['A1BОEH1B', [A]], // Cyrillic О for 0
    ['ТР3СМХFX', [T]], // Cyrillic Т Р С М Х
    ['тр3смхfx', [T]], // lower-case Cyrillic т р с м х
    ['7КН4ВЕNА', [H]], // Cyrillic К Н В Е А
    ['7кн4веnа', [H]],
    ['Номер обращения: 7кн4 веnа', [H]],
    [`${K} и ${T}`, [K, T]],
    [`${T}, ${K}, ${T.toLowerCase()}, ${K}`, [T, K]],
    [`${K}${'\n'}${A}`, [K, A]],
    [`${K} ${A}`, [K, A]],
  ];

  it.each(cases)('%j → %j', (text, expected) => {
    expect(findCodes(text)).toEqual(expected);
  });
});

describe('findCodes: rejections', () => {
  const cases: string[] = [
    `X${K}`, // letter glued before
    `${K}5`, // digit glued after
    `${K}б`, // Cyrillic letter glued after
    `код${K}`,
    `${K}\u0301`, // combining accent glued after
    'K7M2XQ9', // too short
    'K7M2XQ911',
    'K7M2XQ92', // one character mistyped
    'K7M2XQ19', // two adjacent characters swapped
    '7KM2XQ91',
    'K7M2  XQ91', // two separators in a row
    'K7M2 - XQ91',
    'K7M-2XQ 91', // two kinds of separator in one code
    'K7M2,XQ91', // comma is punctuation, not a separator
    'K7M2\nXQ91', // split across lines
    'K7M2XQ9U', // U is not in the alphabet
    'PASSWORD strength DOWNLOAD',
    'ok see you at 10',
    'Позвоните мне по номеру 8 800 555 35 35',
    '+7 916 123-45-67, дата 12.03.2024, сумма 12 500 руб.',
    '',
    '   ',
  ];

  it.each(cases)('%j → []', (text) => {
    expect(findCodes(text)).toEqual([]);
  });
});

describe('normalizeCode', () => {
  const cases: Array<[string, string | null]> = [
    [K, K],
    [K.toLowerCase(), K],
    [`  ${K}  `, K],
    ['k7m2-xq91', K],
    ['K7M2 XQ91', K],
    ['К7М2ХQ91', K], // Cyrillic К М Х
    ['a1bOeh1b', A],
    [`${K}x`, null],
    [`ref ${K}`, null],
    [`promo-${K}`, null],
    [`${K} ${K}`, null],
    ['K7M2XQ92', null],
    ['K7M2XQ19', null],
    ['', null],
    ['hello', null],
  ];

  it.each(cases)('%j → %j', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });
});

describe('typos', () => {
  // The check rule detects every single substitution and adjacent transposition by
  // construction; this verifies it exhaustively for a sample of codes, through every entry point.
  it('rejects every single substitution and adjacent transposition of 500 random codes', () => {
    const random = byteSource(2024);
    let substitutions = 0;
    let transpositions = 0;
    const accepted: string[] = [];
    // Plain checks collected into one assertion: half a million expect() calls would be slow.
    const rejected = (typo: string): void => {
      if (
        isCode(typo) ||
        normalizeCode(typo) !== null ||
        normalizeCode(typo.toLowerCase()) !== null ||
        findCodes(`Номер обращения: ${typo}`).length > 0
      ) {
        accepted.push(typo);
      }
    };
    for (let n = 0; n < 500; n++) {
      const code = makeCode(random);
      for (let i = 0; i < CODE_LENGTH; i++) {
        for (const c of CODE_ALPHABET) {
          if (c === code[i]) continue;
          rejected(code.slice(0, i) + c + code.slice(i + 1));
          substitutions++;
        }
        if (i + 1 < CODE_LENGTH && code[i] !== code[i + 1]) {
          rejected(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
          transpositions++;
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(substitutions).toBe(500 * 8 * 31);
    expect(transpositions).toBeGreaterThan(500 * 7 * 0.9);
  });
});

describe('false positives', () => {
  const EN = (
    'ok see you at to me be we go do it is in on a I the and for not but can will ' +
    'hello thanks please price order delivery tomorrow today morning evening how much ' +
    'is it available size color black white red want buy call back send photo where ' +
    'address store open close time week day yes no maybe sure good great fine cool ' +
    'password strength download message website product discount'
  ).split(' ');
  const RU = (
    'да нет ок и в на к с у о а по за до от не ни же бы ли мне вам нам тут там как ' +
    'здравствуйте привет спасибо пожалуйста цена заказ доставка завтра сегодня утром ' +
    'вечером сколько стоит есть наличии размер цвет черный белый хочу купить ' +
    'перезвоните отправьте фото где адрес магазин открыт время неделя день хорошо ' +
    'отлично номер обращения телефон скидка товар сайт вопрос ответ еще раз мама ' +
    'кот том рот ест вес мех сок тех нет вот все это тот кто'
  ).split(' ');
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

  function corpus(seed: number, count: number, tokenShare: number): string[] {
    const rnd = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
    const item = (): string => {
      const r = rnd();
      if (r < tokenShare) {
        let s = '';
        for (let k = int(6, 10); k > 0; k--) s += pick([...ALNUM]);
        return s;
      }
      if (r < tokenShare + 0.12) {
        return pick([
          () => String(int(0, 9999)),
          () => `${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')}`,
          () => `${int(1, 28)}.${String(int(1, 12)).padStart(2, '0')}`,
          () => `${int(1, 99)} ${String(int(0, 999)).padStart(3, '0')}`,
          () => `${int(1, 9)}${pick(['kg', 'см', 'шт', 'mm', 'pm', 'am', 'k', 'р'])}`,
          () => `${pick(['XL', 'M', 'S', 'L', 'XXL'])}`,
        ])();
      }
      const w = rnd() < 0.5 ? pick(EN) : pick(RU);
      const c = rnd();
      return c < 0.1 ? w.toUpperCase() : c < 0.3 ? w[0]!.toUpperCase() + w.slice(1) : w;
    };
    const sep = (): string =>
      pick([' ', ' ', ' ', ' ', ' ', ' ', ' ', ', ', '. ', ' - ', '-', '.', '_', '\n', '! ', '? ']);
    const out: string[] = [];
    for (let n = 0; n < count; n++) {
      let s = item();
      for (let k = int(2, 14); k > 0; k--) s += sep() + item();
      out.push(s);
    }
    return out;
  }

  function hitRate(messages: readonly string[]): number {
    let hits = 0;
    for (const m of messages) if (findCodes(m).length > 0) hits++;
    return hits / messages.length;
  }

  // Every candidate run (whole groups spelling 8 characters of the alphabet, one kind of
  // separator, a typed digit and a letter) passes the check with probability 1/1021, so the
  // expected rate is (candidate runs per message)/1021. Words and numbers alone rarely make a
  // candidate: words have no digits, numbers no letters, and the groups must add up to exactly 8.
  // Measured by switching the check off: words and numbers give 0.09 candidate runs per message
  // (≈ 0.009% expected; 0.016–0.023% seen over several seeds, because this small vocabulary
  // keeps repeating the same few word+number pairs, e.g. "website_3"); with a fifth of all items
  // being random 6–10 character tokens, 0.33 runs per message (≈ 0.032% expected, 0.025–0.049%
  // seen). The bounds are a few times the expectation, far under the 0.5% the design allows.
  it('words and numbers: under 0.05% of 100,000 messages contain a code', () => {
    const rate = hitRate(corpus(42, 100_000, 0));
    expect(rate).toBeLessThan(0.0005);
  });

  it('words, numbers and random 6–10 character tokens: under 0.2% of 100,000 messages', () => {
    const rate = hitRate(corpus(43, 100_000, 0.2));
    expect(rate).toBeLessThan(0.002);
  });

  it('random alphanumeric 8-character tokens pass at about the checksum rate', () => {
    const rnd = mulberry32(44);
    const n = 200_000;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      let s = '';
      for (let k = 0; k < 8; k++) s += ALNUM[Math.floor(rnd() * ALNUM.length)];
      if (findCodes(s).length > 0) hits++;
    }
    // Eligible (no U/u, a digit, a letter) ≈ 0.59 of tokens → 200,000 · 0.59 / 1021 ≈ 115.
    expect(hits / n).toBeLessThan(1 / 1000);
  });
});

describe('keycap emoji next to a code', () => {
  it('finds a code with a keycap emoji glued after it, and still rejects a digit glued on', () => {
    const code = makeCode();
    expect(findCodes(`Номер обращения: ${code}1️⃣`)).toEqual([code]);
    expect(findCodes(`${code}#️⃣ ok`)).toEqual([code]);
    expect(findCodes(`${code}1`)).toEqual([]);
  });
});
