// src/links.ts splices strings where the first version parsed every link with URL and
// URLSearchParams (kept in links-reference.ts). Both must write the very same hrefs: the table in
// links.test.ts pins the rules, this pins the encoding, over thousands of generated links that
// mix every form with parameters that are already encoded, need re-encoding, repeat, or lack "=".
import { describe, expect, it } from 'vitest';
import { chatTarget, fillTemplate, tagHref, type TagOptions } from '../src/links.ts';
import { referenceChatTarget, referenceFillTemplate, referenceTagHref } from './links-reference.ts';

// A small deterministic generator, so a failure names a case that can be run again.
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
}

const BASES = [
  'https://wa.me/79991234567',
  'https://wa.me/',
  'https://wa.me',
  'http://www.wa.me/+79991234567/',
  'https://WA.ME/79991234567',
  'https://api.whatsapp.com/send?phone=79991234567',
  'https://api.whatsapp.com/send/?phone=%2B7%20(999)%20123-45-67',
  'https://web.whatsapp.com/send?phone=79991234567',
  'whatsapp://send?phone=79991234567',
  'whatsapp://send',
  'https://t.me/acme_support',
  'https://t.me/Acme_Support/',
  'https://t.me/acme_bot',
  'https://t.me/acme_helper',
  'https://t.me/+79991234567',
  'https://telegram.me/acme_support',
  'https://telegram.dog/acmebot',
  'https://acme_support.t.me',
  'https://acmebot.t.me/',
  'tg://resolve?domain=acme_support',
  'tg://resolve?domain=Acme_Bot',
  'tg:resolve?domain=acme_support',
  'tg://resolve?phone=79991234567',
  '  https://t.me/acme_support  ',
  'HTTPS://T.ME/acme_bot',
  'https://t.me/share/url?url=x',
  'https://wa.me/message/ABC',
  'https://example.com/?to=wa.me',
];
const PARAMS = [
  'type=phone_number',
  'app_absent=0',
  'utm_source=site',
  'profile',
  'a=(1)',
  'b=%41%42',
  'c=a+b',
  'd=%2b',
  'e=~x!',
  'f=Привет',
  'g=',
  '',
  'text=Hi',
  'text=',
  'text',
  'text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%20%26%20%231',
  'text=a+b%2Bc',
  'text=Здравствуйте',
  'text=100%25%20sure',
  'text=скидка%2010%',
  'text=%F0%9F%8C%B7',
  'start=promo',
  'start=',
  'start=a.b',
  'start=' + 'x'.repeat(56),
  'startapp=x',
  'ref=abc',
  'domain=other_shop',
  'phone=79990000000',
];
const FRAGMENTS = ['', '', '#top', '#a?b&text=x'];
const TEMPLATES = ['{text}\n\nНомер обращения: {code}', '{text}\n\nRef: {code}', 'Заявка {code}. {text}', '{text} ({code}) — спасибо!', '{code}', 'Hi', '  {text}  '];
const TEXTS = [undefined, undefined, undefined, '', 'Хочу букет «Весна» & вазу', 'a+b=c 100% #1', '$& {code} 😀\nline'];
const LISTS: Partial<TagOptions>[] = [{}, {}, { wa: ['79991234567'] }, { tg: ['acme_support', 'acme_bot'] }, { bots: ['acme_helper'] }, { wa: [], tg: [], bots: [] }];

function generate(seed: number, n: number) {
  const pick = rng(seed);
  return Array.from({ length: n }, () => {
    const base = pick(BASES);
    const params = Array.from({ length: Math.floor(pick([0, 0, 1, 1, 2, 3, 4])) }, () => pick(PARAMS));
    const query = params.length ? (base.includes('?') ? '&' : '?') + params.join('&') : '';
    const href = base + query + pick(FRAGMENTS);
    const o: TagOptions = { code: pick(['K7M2XQ9P', 'A1B0EH1B']), template: pick(TEMPLATES), text: pick(TEXTS), ...pick(LISTS) };
    return { href, o };
  });
}

describe('links.ts against the URL-based reference', () => {
  it.each([1, 2, 3, 4, 5])('writes the same hrefs and targets (seed %i, 4,000 links)', (seed) => {
    const differ: unknown[] = [];
    for (const { href, o } of generate(seed, 4000)) {
      const want = referenceTagHref(href, { ...o });
      const got = tagHref(href, { ...o });
      if (got !== want) differ.push({ href, o, want, got });
      expect(chatTarget(href)).toEqual(referenceChatTarget(href));
    }
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('leaves a link alone where the reference would write U+FFFD for broken UTF-8', () => {
    // The one known difference: decodeURIComponent refuses what URLSearchParams patches up.
    expect(tagHref('https://wa.me/79991234567?text=%D0', { code: 'K7M2XQ9P', template: '{text} {code}' })).toBeNull();
    expect(referenceTagHref('https://wa.me/79991234567?text=%D0', { code: 'K7M2XQ9P', template: '{text} {code}' })).toBe(
      'https://wa.me/79991234567?text=%EF%BF%BD%20K7M2XQ9P',
    );
  });

  it('keeps no stale message when the same options object gets another code or template', () => {
    const o: TagOptions = { code: 'K7M2XQ9P', template: '{text} {code}' };
    expect(tagHref('https://wa.me/79991234567', o)).toBe('https://wa.me/79991234567?text=K7M2XQ9P');
    o.code = 'A1B0EH1B';
    expect(tagHref('https://wa.me/79991234567', o)).toBe('https://wa.me/79991234567?text=A1B0EH1B');
    o.template = 'Ref {code}';
    expect(tagHref('https://wa.me/79991234567', o)).toBe('https://wa.me/79991234567?text=Ref%20A1B0EH1B');
  });

  it('fills templates as the replace-based original did', () => {
    const pick = rng(9);
    for (let i = 0; i < 2000; i++) {
      const template = pick(TEMPLATES) + pick(['', ' {text}', '\n{text}\n', '$1']);
      const text = pick(['', ' ', 'Hi', '$& $1', '{code}', '{text}', '\n\nx\n']);
      expect(fillTemplate(template, text, 'K7M2XQ9P'), JSON.stringify([template, text])).toBe(referenceFillTemplate(template, text, 'K7M2XQ9P'));
    }
  });
});
