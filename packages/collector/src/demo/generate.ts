// The demo site's history: a few months of visits, chat clicks and messages that a newcomer's
// dashboard shows. Pure and seeded, so every fresh install gets the same shop (shifted to its
// own dates); demo/seed.ts writes it through the collector's own ingest and inbound code.
import { defaultTemplate, makeCode, type Hit } from '@chatmark/shared';
import type { AdReferral } from '../inbound/types.ts';

export const DEMO_DAYS = 120;
const SITE = 'https://florista.example';

/** mulberry32: a tiny 32-bit generator, good enough to scatter demo rows. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  /** one of `xs`, each as likely as its weight */
  const weighted = <T>(xs: readonly (readonly [T, number])[]): T => {
    let r = next() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, weighted, bytes, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const PAGES: Record<string, string> = {
  '/': 'Florista — fresh flowers delivered',
  '/roses': 'Roses by the stem and in bouquets',
  '/tulips': 'Tulips',
  '/bouquets/spring': 'Spring bouquets',
  '/bouquets/wedding': 'Wedding flowers',
  '/corporate': 'Corporate orders',
  '/delivery': 'Delivery and payment',
  '/contacts': 'Contacts',
};

/** Where visits come from: the landing URL's query and the referrer, as a browser would send them. */
interface Origin {
  query: string;
  referrer: string;
  landing: string;
}
const ORIGINS: Array<readonly [(r: Rng) => Origin, number]> = [
  [(r) => ({ query: `utm_source=google&utm_medium=cpc&utm_campaign=${r.pick(['spring_bouquets', 'roses_search', 'brand'])}&gclid=Cj0K${r.int(1e9)}`, referrer: 'https://www.google.com/', landing: r.pick(['/roses', '/bouquets/spring', '/']) }), 16],
  [(r) => ({ query: `utm_source=yandex&utm_medium=cpc&utm_campaign=${r.pick(['roses_moscow', 'tulips_march'])}&yclid=${r.int(1e12)}`, referrer: 'https://yandex.ru/', landing: r.pick(['/roses', '/tulips']) }), 12],
  [(r) => ({ query: '', referrer: r.pick(['https://www.google.com/', 'https://yandex.ru/', 'https://www.bing.com/']), landing: r.pick(Object.keys(PAGES)) }), 20],
  [(r) => ({ query: `utm_source=instagram&utm_medium=paid_social&utm_campaign=${r.pick(['wedding_season', 'march_8'])}&fbclid=IwAR${r.int(1e9)}`, referrer: 'https://l.instagram.com/', landing: r.pick(['/bouquets/wedding', '/bouquets/spring']) }), 9],
  [(r) => ({ query: '', referrer: r.pick(['https://vk.com/', 'https://l.instagram.com/', 'https://www.pinterest.com/']), landing: r.pick(['/', '/bouquets/spring', '/bouquets/wedding']) }), 8],
  [(r) => ({ query: `utm_source=newsletter&utm_medium=email&utm_campaign=${r.pick(['weekly_digest', 'loyalty'])}`, referrer: '', landing: r.pick(['/bouquets/spring', '/tulips']) }), 5],
  [() => ({ query: '', referrer: 'https://web.telegram.org/', landing: '/' }), 4],
  [(r) => ({ query: '', referrer: r.pick(['https://weddingblog.example/best-florists', 'https://citymap.example/florists']), landing: r.pick(['/bouquets/wedding', '/contacts']) }), 5],
  [(r) => ({ query: 'utm_source=yandex&utm_medium=rsya&utm_campaign=retargeting', referrer: 'https://news.example/', landing: r.pick(['/roses', '/']) }), 4],
  [() => ({ query: '', referrer: '', landing: '/' }), 17],
];

// User-Agent strings as real browsers send them, with the screen each is usually seen on.
const DEVICES: Array<readonly [{ ua: string; screen: [number, number]; dpr: number; ch?: Hit['ch'] }, number]> = [
  [{ ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', screen: [390, 844], dpr: 3 }, 30],
  [{ ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', screen: [412, 915], dpr: 2.6, ch: { p: 'Android', pv: '14.0.0', m: 'SM-S918B', mo: true } }, 28],
  [{ ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', screen: [1920, 1080], dpr: 1, ch: { p: 'Windows', pv: '15.0.0', mo: false } }, 22],
  [{ ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', screen: [1512, 982], dpr: 2 }, 10],
  [{ ua: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', screen: [820, 1180], dpr: 2 }, 5],
  [{ ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', screen: [2560, 1440], dpr: 1 }, 3],
];
const BOT_UA = 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)';

export const PLACES = [
  { country: 'RU', region: 'MOW', city: 'Moscow', tz: 'Europe/Moscow', w: 40 },
  { country: 'RU', region: 'SPE', city: 'Saint Petersburg', tz: 'Europe/Moscow', w: 18 },
  { country: 'RU', region: 'SVE', city: 'Yekaterinburg', tz: 'Asia/Yekaterinburg', w: 6 },
  { country: 'KZ', region: '75', city: 'Almaty', tz: 'Asia/Almaty', w: 5 },
  { country: 'DE', region: 'BE', city: 'Berlin', tz: 'Europe/Berlin', w: 4 },
] as const;
export type Place = (typeof PLACES)[number];

const FIRST = ['Anna', 'Maria', 'Elena', 'Olga', 'Irina', 'Natalia', 'Dmitry', 'Alexey', 'Sergey', 'Ivan', 'Kate', 'Tom', 'Lena', 'Pavel', 'Svetlana', 'Yulia'];
const LAST = ['Ivanova', 'Smirnov', 'Kuznetsova', 'Popov', 'Volkova', 'Sokolov', 'Lebedeva', 'Novikov', 'Morozova', 'Brown', 'Petrova', 'Orlov'];
const OPENERS = [
  'Hello! I would like to order flowers',
  'Hi, do you deliver today?',
  'Good afternoon, how much is a bouquet of 25 roses?',
  'I want the spring bouquet',
  'Can I order a wedding bouquet for June?',
  'Здравствуйте! Хочу заказать букет на 8 марта',
  'Добрый день, есть ли доставка за город?',
  'Hello, we need flowers for an office event',
];
const FOLLOW_UPS = ['Great, I will take it', 'And what about the delivery price?', 'Can you add a card with a message?', 'Спасибо, оплачу картой'];

export interface DemoHit {
  ts: Date;
  hit: Hit;
  /** the address's place, set on the session instead of a geography lookup */
  place: Place;
  userAgent: string;
}

export interface DemoContact {
  id: string;
  name: string;
  phone: string | null;
  username: string | null;
}

export interface DemoMessage {
  ts: Date;
  channel: 'whatsapp' | 'telegram';
  contact: DemoContact;
  text: string;
  startParam: string | null;
  referral: AdReferral | null;
}

export interface DemoData {
  hits: DemoHit[];
  messages: DemoMessage[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Visits per day: more on weekdays, a rise toward the spring holidays, growth over the period. */
function visitsOn(r: Rng, day: number, date: Date): number {
  const weekday = date.getUTCDay();
  const base = 14 + 8 * (day / DEMO_DAYS);
  const week = weekday === 0 ? 0.6 : weekday === 6 ? 0.8 : 1.1;
  return Math.max(1, Math.round(base * week * (0.7 + 0.6 * r.next())));
}

/**
 * The demo history ending `now`: visits from assorted sources and devices, their page views and
 * chat clicks, and the messages that followed. Messages come in every way the matcher knows: a
 * code in the text, a Telegram /start, a click-to-WhatsApp ad, a lost code after a click
 * (probable) and none at all; some people write again weeks later (repeat inquiries).
 */
export function generateDemoData(now: Date, seed = 20240308): DemoData {
  const r = prng(seed);
  const template = defaultTemplate('en');
  const hits: DemoHit[] = [];
  const messages: DemoMessage[] = [];
  const contacts: DemoContact[] = [];
  const visitors: Array<{ id: string; device: (typeof DEVICES)[number][0]; place: Place; contact: DemoContact | null }> = [];
  const start = Math.floor(now.getTime() / DAY) * DAY - (DEMO_DAYS - 1) * DAY;

  const newContact = (channel: 'whatsapp' | 'telegram'): DemoContact => {
    const name = `${r.pick(FIRST)} ${r.pick(LAST)}`;
    const phone = channel === 'whatsapp' ? `7${900 + r.int(99)}${String(r.int(1e7)).padStart(7, '0')}` : null;
    const username = channel === 'telegram' && r.chance(0.7) ? `${name.split(' ')[0]!.toLowerCase()}_${r.int(1000)}` : null;
    const c = { id: phone ?? String(100_000_000 + r.int(800_000_000)), name, phone, username };
    contacts.push(c);
    return c;
  };

  for (let day = 0; day < DEMO_DAYS; day++) {
    const date = new Date(start + day * DAY);
    for (let n = visitsOn(r, day, date); n > 0; n--) {
      // Daytime visits mostly; a quarter of them by people who came before.
      const ts = new Date(date.getTime() + (7 + r.int(15)) * 3_600_000 + r.int(60) * MINUTE);
      if (ts > now) continue;
      // Customers come back more than browsers do: half of the returns are people who wrote before.
      const returning = visitors.length > 20 && r.chance(0.25);
      const customers = visitors.filter((v) => v.contact);
      const visitor = returning
        ? customers.length && r.chance(0.5) ? r.pick(customers) : r.pick(visitors)
        : { id: Array.from(r.bytes(32), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[b & 31]).join(''), device: r.weighted(DEVICES), place: r.weighted(PLACES.map((p) => [p, p.w] as const)), contact: null };
      if (!returning) visitors.push(visitor);
      const bot = r.chance(0.02);
      const origin = r.weighted(ORIGINS)(r);
      const code = makeCode(r.bytes);
      const landing = `${SITE}${origin.landing}${origin.query ? `?${origin.query}` : ''}`;
      const base: Hit = {
        k: '',
        t: 'pv',
        v: visitor.id,
        c: code,
        u: landing,
        r: origin.referrer,
        l: landing,
        sw: visitor.device.screen[0],
        sh: visitor.device.screen[1],
        dpr: visitor.device.dpr,
        vw: visitor.device.screen[0],
        vh: visitor.device.screen[1] - 120,
        la: visitor.place.country === 'RU' || visitor.place.country === 'KZ' ? 'ru-RU' : r.pick(['en-US', 'de-DE']),
        tz: visitor.place.tz,
        ...(visitor.device.ch ? { ch: visitor.device.ch } : {}),
      };
      const userAgent = bot ? BOT_UA : visitor.device.ua;
      let t = ts.getTime();
      let path = origin.landing;
      const views = 1 + r.int(4);
      for (let v = 0; v < views; v++) {
        const url = v === 0 ? landing : `${SITE}${path}`;
        hits.push({ ts: new Date(t), hit: { ...base, u: url, ti: PAGES[path] }, place: visitor.place, userAgent });
        if (v < views - 1) {
          t += (20 + r.int(160)) * 1000;
          path = r.pick(Object.keys(PAGES));
        }
      }
      if (bot || !r.chance(0.15)) continue;

      // A chat click on the last page, and most of the time a message a minute or two later.
      const channel = r.chance(0.7) ? 'whatsapp' : 'telegram';
      t += (15 + r.int(90)) * 1000;
      const target = channel === 'whatsapp' ? '15550001234' : 'florista_demo_bot';
      hits.push({ ts: new Date(t), hit: { ...base, t: 'click', u: `${SITE}${path}`, ti: PAGES[path], m: channel === 'whatsapp' ? 'wa' : 'tg', to: target }, place: visitor.place, userAgent });
      if (!r.chance(0.8)) continue;
      // The same person writes again in the same messenger; a WhatsApp contact has a phone.
      const same = visitor.contact !== null && (visitor.contact.phone !== null) === (channel === 'whatsapp');
      const contact = same ? visitor.contact! : newContact(channel);
      visitor.contact = contact;
      const opener = r.pick(OPENERS);
      const sentAt = new Date(t + (40 + r.int(200)) * 1000);
      if (channel === 'telegram') {
        messages.push({ ts: sentAt, channel, contact, text: `/start ${code}`, startParam: code, referral: null });
      } else {
        // One in eight deletes the reference before sending: only the click tells where they came from.
        const keepsCode = r.chance(0.87);
        messages.push({ ts: sentAt, channel, contact, text: keepsCode ? template.replace('{text}', opener).replace('{code}', code) : opener, startParam: null, referral: null });
      }
      if (r.chance(0.35)) {
        messages.push({ ts: new Date(sentAt.getTime() + (2 + r.int(120)) * MINUTE), channel, contact, text: r.pick(FOLLOW_UPS), startParam: null, referral: null });
      }
    }

    // Chats with no website visit: click-to-WhatsApp ads and people who had the number already.
    if (r.chance(0.45)) {
      const ts = new Date(date.getTime() + (9 + r.int(12)) * 3_600_000 + r.int(60) * MINUTE);
      if (ts > now) continue;
      const returning = contacts.length > 30 && r.chance(0.2) ? r.pick(contacts.filter((c) => c.phone)) : undefined;
      const contact = returning ?? newContact('whatsapp');
      const ad = r.chance(0.6);
      messages.push({
        ts,
        channel: 'whatsapp',
        contact,
        text: r.pick(OPENERS),
        startParam: null,
        referral: ad
          ? { source_id: r.pick(['120211234567890', '120219876543210']), source_url: 'https://fb.me/florista-spring', source_type: 'ad', headline: r.pick(['Spring bouquets −20%', 'Roses delivered in 2 hours']), body: null, ctwa_clid: `ARAk${r.int(1e9)}` }
          : null,
      });
    }
  }
  hits.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  messages.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  return { hits, messages };
}

export const DEMO_TAGS = ['wedding', 'corporate', 'vip', 'delivery', 'wholesale'] as const;
