import { describe, expect, it } from 'vitest';
import { chatTarget, fillTemplate, tagHref, type TagOptions } from '../src/links.ts';

const code = 'K7M2XQ9P';
// ASCII template keeps the expected hrefs in the table readable; Cyrillic is covered below.
const base: TagOptions = { code, template: '{text}\n\nref {code}' };
const REF = 'ref%20K7M2XQ9P';
const HI = 'Hi%0A%0Aref%20K7M2XQ9P';
const START = 'start=K7M2XQ9P';

type Case = [href: string, out: string | null, opts?: Partial<TagOptions>];

const cases: Case[] = [
  // WhatsApp: wa.me
  ['https://wa.me/79991234567', `https://wa.me/79991234567?text=${REF}`],
  ['http://wa.me/79991234567', `http://wa.me/79991234567?text=${REF}`],
  ['https://www.wa.me/79991234567/', `https://www.wa.me/79991234567/?text=${REF}`],
  ['https://WA.ME/79991234567', `https://wa.me/79991234567?text=${REF}`],
  ['  https://wa.me/79991234567  ', `https://wa.me/79991234567?text=${REF}`],
  ['https://wa.me/79991234567?text=Hi', `https://wa.me/79991234567?text=${HI}`],
  ['https://wa.me/79991234567?text=Hello%20there', `https://wa.me/79991234567?text=Hello%20there%0A%0A${REF}`],
  ['https://wa.me/79991234567?text=', `https://wa.me/79991234567?text=${REF}`],
  ['https://wa.me/?text=Hi', `https://wa.me/?text=${HI}`],
  ['https://wa.me/', `https://wa.me/?text=${REF}`],
  ['https://wa.me/+79991234567', `https://wa.me/+79991234567?text=${REF}`],
  ['https://wa.me/79991234567#order', `https://wa.me/79991234567?text=${REF}#order`],
  // WhatsApp: api / web / app scheme
  ['https://api.whatsapp.com/send?phone=79991234567', `https://api.whatsapp.com/send?phone=79991234567&text=${REF}`],
  ['https://api.whatsapp.com/send?phone=79991234567&text=Hello+world', `https://api.whatsapp.com/send?phone=79991234567&text=Hello%20world%0A%0A${REF}`],
  [
    'https://api.whatsapp.com/send/?phone=79991234567&text&type=phone_number&app_absent=0',
    `https://api.whatsapp.com/send/?phone=79991234567&text=${REF}&type=phone_number&app_absent=0`,
  ],
  ['https://api.whatsapp.com/send?text=Hi', `https://api.whatsapp.com/send?text=${HI}`],
  ['http://www.whatsapp.com/send?phone=79991234567', `http://www.whatsapp.com/send?phone=79991234567&text=${REF}`],
  ['https://web.whatsapp.com/send?phone=79991234567&text=Hi', `https://web.whatsapp.com/send?phone=79991234567&text=${HI}`],
  ['whatsapp://send?phone=79991234567&text=Hi', `whatsapp://send?phone=79991234567&text=${HI}`],
  ['whatsapp://send?text=Hi', `whatsapp://send?text=${HI}`],
  // WhatsApp: the site's numbers
  ['https://wa.me/79991234567', `https://wa.me/79991234567?text=${REF}`, { wa: ['79991234567'] }],
  ['https://wa.me/79990000000', null, { wa: ['79991234567'] }],
  ['https://api.whatsapp.com/send?phone=79990000000', null, { wa: ['79991234567'] }],
  ['https://wa.me/?text=Hi', `https://wa.me/?text=${HI}`, { wa: ['79991234567'] }],
  [
    // Compared by digits; the site's own spelling of the phone param survives (re-encoded).
    'https://api.whatsapp.com/send?phone=%2B7%20(999)%20123-45-67',
    `https://api.whatsapp.com/send?phone=%2B7%20%28999%29%20123-45-67&text=${REF}`,
    { wa: ['79991234567'] },
  ],
  ['https://wa.me/79991234567', `https://wa.me/79991234567?text=${REF}`, { tg: ['acme_support'] }],
  // WhatsApp: never touched
  ['https://wa.me/message/ABCDEF123GHIJ1', null],
  ['https://wa.me/call/79991234567', null],
  ['https://wa.me/c/79991234567', null],
  ['https://wa.link/abc123', null],
  ['https://wa.me.evil.com/79991234567', null],
  ['https://notwa.me/79991234567', null],
  ['https://evil.com/wa.me/79991234567', null],
  ['https://api.whatsapp.com.evil.com/send?phone=79991234567', null],
  ['https://api.whatsapp.com/other?phone=79991234567', null],
  ['https://wa.me/7999abc', null],
  // Telegram: usernames
  ['https://t.me/acme_support', `https://t.me/acme_support?text=${REF}`],
  ['http://t.me/acme_support/', `http://t.me/acme_support/?text=${REF}`],
  ['https://www.t.me/acme_support', `https://www.t.me/acme_support?text=${REF}`],
  ['https://t.me/Acme_Support', `https://t.me/Acme_Support?text=${REF}`],
  ['https://telegram.me/acme_support', `https://telegram.me/acme_support?text=${REF}`],
  ['https://telegram.dog/acme_support', `https://telegram.dog/acme_support?text=${REF}`],
  ['https://acme_support.t.me', `https://acme_support.t.me/?text=${REF}`],
  ['https://t.me/acme_support?text=Hi', `https://t.me/acme_support?text=${HI}`],
  ['https://t.me/acme_support?text=Hi&profile', `https://t.me/acme_support?text=${HI}&profile=`],
  ['https://t.me/acme_support?utm_source=site#top', `https://t.me/acme_support?utm_source=site&text=${REF}#top`],
  ['tg://resolve?domain=acme_support', `tg://resolve?domain=acme_support&text=${REF}`],
  ['tg://resolve?domain=Acme_Support&text=Hi', `tg://resolve?domain=Acme_Support&text=${HI}`],
  ['tg:resolve?domain=acme_support', `tg:resolve?domain=acme_support&text=${REF}`],
  // Telegram: phones
  ['https://t.me/+79991234567', `https://t.me/+79991234567?text=${REF}`],
  ['https://t.me/+79991234567?text=Hi&profile', `https://t.me/+79991234567?text=${HI}&profile=`],
  ['tg://resolve?phone=79991234567', `tg://resolve?phone=79991234567&text=${REF}`],
  ['https://t.me/+79991234567', `https://t.me/+79991234567?text=${REF}`, { wa: ['79991234567'] }],
  ['https://t.me/+79990000000', null, { wa: ['79991234567'] }],
  ['tg://resolve?phone=79990000000', null, { wa: ['79991234567'] }],
  // A username list says nothing about phones.
  ['https://t.me/+79990000000', `https://t.me/+79990000000?text=${REF}`, { tg: ['acme_support'] }],
  // Telegram: the site's usernames
  ['https://t.me/acme_support', `https://t.me/acme_support?text=${REF}`, { tg: ['acme_support'] }],
  ['https://t.me/ACME_Support', `https://t.me/ACME_Support?text=${REF}`, { tg: ['acme_support'] }],
  ['https://t.me/other_shop', null, { tg: ['acme_support'] }],
  ['tg://resolve?domain=other_shop', null, { tg: ['acme_support'] }],
  ['https://t.me/other_shop', `https://t.me/other_shop?text=${REF}`, { wa: ['79991234567'] }],
  // Telegram: bots
  ['https://t.me/acme_bot', `https://t.me/acme_bot?${START}`],
  ['https://t.me/AcmeBot', `https://t.me/AcmeBot?${START}`],
  ['https://acmebot.t.me/', `https://acmebot.t.me/?${START}`],
  ['https://t.me/acme_bot?start=promo', `https://t.me/acme_bot?start=promo-K7M2XQ9P`],
  ['https://t.me/acme_bot?start=', `https://t.me/acme_bot?${START}`],
  ['https://t.me/acme_bot?start=' + 'a'.repeat(55), `https://t.me/acme_bot?start=${'a'.repeat(55)}-K7M2XQ9P`],
  ['https://t.me/acme_bot?start=' + 'a'.repeat(56), `https://t.me/acme_bot?${START}`],
  ['https://t.me/acme_bot?start=a.b', `https://t.me/acme_bot?${START}`],
  ['https://t.me/acme_helper', `https://t.me/acme_helper?${START}`, { bots: ['acme_helper'] }],
  ['https://t.me/acme_helper?start=x', `https://t.me/acme_helper?start=x-K7M2XQ9P`],
  ['https://t.me/acme_bot?text=Hi', `https://t.me/acme_bot?text=Hi&${START}`],
  ['https://t.me/acme_bot', `https://t.me/acme_bot?${START}`, { text: 'Hello' }],
  ['tg://resolve?domain=acme_bot&start=abc', `tg://resolve?domain=acme_bot&start=abc-K7M2XQ9P`],
  ['https://t.me/acme_bot', null, { tg: ['acme_support'] }],
  ['https://t.me/acme_bot', `https://t.me/acme_bot?${START}`, { tg: ['acme_support', 'acme_bot'] }],
  // Preset phrase
  ['https://t.me/acme_support?text=Old', `https://t.me/acme_support?text=${HI}`, { text: 'Hi' }],
  ['https://wa.me/79991234567', `https://wa.me/79991234567?text=${HI}`, { text: 'Hi' }],
  ['https://wa.me/79991234567?text=Old', `https://wa.me/79991234567?text=${REF}`, { text: '' }],
  // Reserved words only count as whole names
  ['https://t.me/boosty_shop', `https://t.me/boosty_shop?text=${REF}`],
  ['https://t.me/proxyseller', `https://t.me/proxyseller?text=${REF}`],
  ['https://t.me/share_bot', `https://t.me/share_bot?${START}`],
  // Telegram: never touched
  ['https://t.me/share', null],
  ['https://t.me/m/AbCdEfGh', null],
  ['https://t.me/+AbCdEf123456', null],
  ['https://t.me/+', null],
  ['https://t.me/joinchat/AAAAAEkk2WdoDrB4-Q8-gg', null],
  ['tg://join?invite=AAAAAEkk2WdoDrB4', null],
  ['https://t.me/share?url=https%3A%2F%2Fexample.com&text=Hi', null],
  ['https://t.me/share/url?url=https%3A%2F%2Fexample.com', null],
  ['tg://msg_url?url=https%3A%2F%2Fexample.com', null],
  ['tg://msg?text=Hi', null],
  ['tg://share?url=x', null],
  ['https://t.me/durov/123', null],
  ['https://t.me/durov/1234/12345', null],
  ['https://t.me/addstickers/Animals', null],
  ['https://t.me/addemoji/Set', null],
  ['https://t.me/proxy?server=1.2.3.4&port=443&secret=ee00', null],
  ['https://t.me/socks?server=1.2.3.4&port=1080', null],
  ['https://t.me/s/durov', null],
  ['https://t.me/c/1234567890/45', null],
  ['https://t.me/iv?url=https%3A%2F%2Fexample.com&rhash=abc', null],
  ['https://t.me/boost?c=1234567', null],
  ['https://t.me/boost/durov', null],
  ['https://t.me/addlist/AbCdEf', null],
  ['https://t.me/$AbCdEf', null],
  ['https://t.me/invoice/AbCdEf', null],
  ['https://t.me/setlanguage/ru', null],
  ['https://t.me/acme_bot/app?startapp=x', null],
  ['https://t.me/acme_bot?startapp=x', null],
  ['https://t.me/acme_bot?startgroup=x', null],
  ['https://t.me/acme_bot?start=_tgr_AbCd', null],
  ['https://t.me/acme_bot?game=tetris', null],
  ['https://t.me/acme_bot?ref=AbCd', null],
  ['tg://resolve?domain=durov&post=5', null],
  ['tg://resolve', null],
  ['tg://resolve?domain=abc', null],
  // an encoded '?' or '#' in the name does not end it early
  ['tg://resolve?domain=acme_support%3Fx', null],
  ['tg://resolve?domain=acme_support%23x', null],
  // reserved words in any case
  ['https://t.me/Share', null],
  ['https://t.me/', null],
  ['https://t.me/abc', null],
  ['https://t.me/1abcd', null],
  ['https://t.me/' + 'a'.repeat(33), null],
  ['https://t.me.example.org/acme_support', null],
  ['https://nott.me/acme_support', null],
  ['https://t.dog/acme_support', null],
  ['https://www.acme_support.t.me.evil.com/', null],
  // Not messenger links at all
  ['mailto:shop@example.com', null],
  ['tel:+79991234567', null],
  ['/contacts', null],
  ['wa.me/79991234567', null],
  ['https://example.com/?to=https://wa.me/79991234567', null],
  ['javascript:alert(1)', null],
  ['', null],
];

describe('tagHref', () => {
  it.each(cases)('%s → %s (%o)', (href, out, opts) => {
    expect(tagHref(href, { ...base, ...opts })).toBe(out);
  });

  it('has a big enough table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it('does not mutate the options or depend on earlier calls', () => {
    const o = { ...base, wa: ['79991234567'] };
    expect(tagHref('https://wa.me/79990000000', o)).toBeNull();
    expect(tagHref('https://t.me/acme_support', o)).toBe(`https://t.me/acme_support?text=${REF}`);
    expect(o).toEqual({ ...base, wa: ['79991234567'] });
  });
});

describe('tagHref encoding round trip', () => {
  const template = '{text}\n\nНомер обращения: {code}';
  const tricky = 'Привет & #1 + 50% = 😀\nвторая строка';

  // URL parses whatsapp:// and tg:// query strings like any other, but check by hand too so a
  // change in how URL treats non-special schemes cannot hide a bug.
  const textOf = (href: string) => {
    const viaUrl = new URL(href).searchParams.get('text');
    const raw = /[?&]text=([^&#]*)/.exec(href)![1]!;
    expect(raw).not.toMatch(/[+ \n#&]/);
    expect(decodeURIComponent(raw)).toBe(viaUrl);
    return viaUrl;
  };

  const forms = [
    'https://wa.me/79991234567',
    'https://api.whatsapp.com/send/?phone=79991234567&type=phone_number&app_absent=0',
    'https://web.whatsapp.com/send?phone=79991234567',
    'whatsapp://send?phone=79991234567',
    'https://t.me/acme_support',
    'https://t.me/+79991234567',
    'tg://resolve?domain=acme_support',
    'tg://resolve?phone=79991234567',
  ];

  it.each(forms)('preset text survives in %s', (href) => {
    const out = tagHref(href, { code, template, text: tricky })!;
    expect(textOf(out)).toBe(`${tricky}\n\nНомер обращения: ${code}`);
  });

  it.each(forms)('the existing prefill is decoded once and kept in %s', (href) => {
    const sep = href.includes('?') ? '&' : '?';
    const out = tagHref(`${href}${sep}text=${encodeURIComponent(tricky)}`, { code, template })!;
    expect(textOf(out)).toBe(`${tricky}\n\nНомер обращения: ${code}`);
  });

  it.each(forms)('no prefill leaves only the code line in %s', (href) => {
    expect(textOf(tagHref(href, { code, template })!)).toBe(`Номер обращения: ${code}`);
  });

  it('reads "+" as a space and %2B as a plus in an existing prefill', () => {
    const out = tagHref('https://api.whatsapp.com/send?phone=79991234567&text=a%2Bb+c', { code, template })!;
    expect(textOf(out)).toBe(`a+b c\n\nНомер обращения: ${code}`);
  });

  it('keeps an already percent-encoded "%" literal', () => {
    const out = tagHref('https://wa.me/79991234567?text=100%25%20sure', { code, template })!;
    expect(textOf(out)).toBe(`100% sure\n\nНомер обращения: ${code}`);
  });

  it('keeps a raw Cyrillic prefill', () => {
    const out = tagHref('https://t.me/acme_support?text=Здравствуйте', { code, template })!;
    expect(textOf(out)).toBe(`Здравствуйте\n\nНомер обращения: ${code}`);
  });

  it('puts the start parameter in a form Telegram accepts', () => {
    const out = tagHref('https://t.me/acme_bot?start=promo_1', { code, template })!;
    expect(new URL(out).searchParams.get('start')).toBe(`promo_1-${code}`);
    expect(new URL(out).searchParams.get('start')).toMatch(/^[\w-]{1,64}$/);
  });
});

describe('fillTemplate', () => {
  it.each([
    ['{text}\n\nНомер обращения: {code}', 'Хочу заказать', 'Хочу заказать\n\nНомер обращения: K7M2XQ9P'],
    ['{text}\n\nНомер обращения: {code}', '', 'Номер обращения: K7M2XQ9P'],
    ['Номер обращения: {code}\n\n{text}', '', 'Номер обращения: K7M2XQ9P'],
    ['Здравствуйте! {text} Код: {code}', '', 'Здравствуйте! Код: K7M2XQ9P'],
    ['Здравствуйте!\n{text}\nКод: {code}', '', 'Здравствуйте!\nКод: K7M2XQ9P'],
    ['Здравствуйте! {text}\n\nКод: {code}', '', 'Здравствуйте!\n\nКод: K7M2XQ9P'],
    ['Код: {code}\n\n{text}', 'Цена?', 'Код: K7M2XQ9P\n\nЦена?'],
    ['Здравствуйте!\n{text}\nКод: {code}', 'Цена?', 'Здравствуйте!\nЦена?\nКод: K7M2XQ9P'],
    ['{text} ({code})', 'Hi', 'Hi (K7M2XQ9P)'],
    ['{code}', 'ignored', 'K7M2XQ9P'],
    ['{text}', 'Hi', 'Hi K7M2XQ9P'],
    ['Хочу заказать', '', 'Хочу заказать K7M2XQ9P'],
    ['', '', 'K7M2XQ9P'],
    ['{text}|{text} {code}', 'a', 'a|a K7M2XQ9P'],
    ['{text} {code}', '$& $1 {code}', '$& $1 {code} K7M2XQ9P'],
    ['{text}\n\n{code}', '   ', 'K7M2XQ9P'],
  ])('%j with %j → %j', (template, text, out) => {
    expect(fillTemplate(template, text, code)).toBe(out);
  });
});

describe('chatTarget', () => {
  it.each([
    ['https://wa.me/79991234567', { m: 'wa', to: '79991234567' }],
    ['https://wa.me/+79991234567?text=Hi', { m: 'wa', to: '79991234567' }],
    ['https://wa.me/?text=Hi', { m: 'wa', to: '' }],
    ['https://api.whatsapp.com/send/?phone=%2B7%20999%20123-45-67&type=phone_number', { m: 'wa', to: '79991234567' }],
    ['https://api.whatsapp.com/send?text=Hi', { m: 'wa', to: '' }],
    ['https://web.whatsapp.com/send?phone=79991234567', { m: 'wa', to: '79991234567' }],
    ['whatsapp://send?phone=79991234567', { m: 'wa', to: '79991234567' }],
    ['https://t.me/Acme_Support', { m: 'tg', to: 'acme_support' }],
    ['https://telegram.dog/acme_bot?start=x', { m: 'tg', to: 'acme_bot' }],
    ['https://acmeshop.t.me/', { m: 'tg', to: 'acmeshop' }],
    ['https://t.me/+79991234567', { m: 'tg', to: '79991234567' }],
    ['tg://resolve?domain=Acme_Support', { m: 'tg', to: 'acme_support' }],
    ['tg://resolve?phone=79991234567', { m: 'tg', to: '79991234567' }],
    ['https://wa.me/message/ABCDEF123GHIJ1', null],
    ['https://t.me/+AbCdEf123456', null],
    ['https://t.me/durov/123', null],
    ['https://t.me/share?url=x', null],
    ['https://example.com/', null],
    ['not a url', null],
  ])('%s → %o', (href, out) => {
    expect(chatTarget(href)).toEqual(out);
  });
});
