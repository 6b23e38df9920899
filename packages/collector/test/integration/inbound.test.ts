import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { fillTemplate } from '@chatmark/shared';
import { buildApp } from '../../src/app/build-app.ts';
import { createSite } from '../../src/admin/sites.ts';
import { createChannel } from '../../src/admin/channels.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { testConfig } from '../support/config.ts';
import { CHROME_WIN, pageview } from '../support/hits.ts';
import { hmacHex, metaTextWebhook, telegramMessage } from '../support/webhooks.ts';

const ADMIN = 'admin-token-for-inbound-tests';
const APP_SECRET = 'meta-app-secret-0123456789';
const DAY = 86_400_000;

describe.each(DATABASE_KINDS)('inbound webhooks and the journal on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  let site: { id: number; key: string; api_key: string };
  let other: { id: number; key: string; api_key: string };
  let meta: { id: string; verify_token?: string };
  let generic: { id: string; secret: string };
  let bot: { id: string; secret: string };
  const db = () => t.database.db;

  const hit = (body: unknown) =>
    fetch(`${base}/v1/hit`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://shop.example.com', 'user-agent': CHROME_WIN }, body: JSON.stringify(body) });
  const postMeta = (body: string, signature = `sha256=${hmacHex('sha256', APP_SECRET, body)}`) =>
    fetch(`${base}/v1/webhooks/meta/${meta.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  const postGeneric = (payload: object, channel = generic) => {
    const body = JSON.stringify(payload);
    return fetch(`${base}/v1/webhooks/generic/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chatmark-signature': `sha256=${hmacHex('sha256', channel.secret, body)}` },
      body,
    });
  };
  const journal = (path = '', key = site.api_key) => fetch(`${base}/v1/sites/${site.id}/inquiries${path}`, { headers: { authorization: `Bearer ${key}` } });
  const inquiries = () => db().selectFrom('inquiries').selectAll().where('site_id', '=', site.id).orderBy('id').execute();

  /** A visit that lands from an ad and clicks the WhatsApp button: what the snippet would send. */
  async function visit(utm: string, over: Record<string, unknown> = {}) {
    const pv = pageview(site.key, { u: `https://shop.example.com/roses?${utm}`, ti: 'Розы', sw: 390, sh: 844, ...over });
    expect((await hit(pv)).status).toBe(200);
    expect((await hit({ ...pv, t: 'click', m: 'wa', to: '79991234567', u: 'https://shop.example.com/roses/red', ti: 'Красные розы' })).status).toBe(204);
    return pv;
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig({ publicUrl: 'https://cm.example.com' }), database: t.database, adminToken: ADMIN });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    site = await createSite(db(), { name: 'Shop', domains: ['shop.example.com'], timezone: 'Europe/Moscow', settings: { language: 'ru' } }, 'https://cm');
    other = await createSite(db(), { name: 'Other', domains: [], timezone: 'UTC' }, 'https://cm');
    meta = await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'meta', address: '+7 999 123-45-67', secret: APP_SECRET }, 'https://cm');
    generic = await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: '79991234567' }, 'https://cm');
    bot = await createChannel(db(), { site: String(site.id), kind: 'telegram', provider: 'telegram', address: '@Shop_Bot' }, 'https://cm');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('answers the Meta handshake only with the right verify token', async () => {
    const ok = await fetch(`${base}/v1/webhooks/meta/${meta.id}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${meta.verify_token}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${base}/v1/webhooks/meta/${meta.id}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong`);
    expect(bad.status).toBe(401);
  });

  it('turns a first WhatsApp message carrying the visit code into a new, attributed inquiry, once', async () => {
    const pv = await visit('utm_source=yandex&utm_medium=cpc&utm_campaign=roses');
    const text = fillTemplate('{text}\n\nНомер обращения: {code}', 'Хочу букет', pv.c);
    const ts = new Date(Date.now() + 60_000);
    const body = metaTextWebhook({ id: 'wamid.first', text, from: '79161234567', userId: 'RU.1234567890', ts });
    const res = await postMeta(body);
    expect(res.status).toBe(200);
    // Delivered again: stored once, still acknowledged.
    expect((await postMeta(body)).status).toBe(200);

    const list = await inquiries();
    expect(list).toHaveLength(1);
    const page = (await (await journal()).json()) as { items: Array<Record<string, any>> };
    expect(page.items[0]).toMatchObject({
      channel: 'whatsapp',
      provider: 'meta',
      type: 'new',
      match: { method: 'code', confidence: 1 },
      contact: { name: 'Анна', phone: '79161234567' },
      first_message: text,
      message_count: 1,
      page: { url: 'https://shop.example.com/roses/red', title: 'Красные розы' },
      session: { code: pv.c, source: 'yandex', medium: 'cpc', campaign: 'roses', traffic_type: 'paid_search', os: 'Windows', screen: '390x844', language: 'ru-RU' },
    });
  });

  it('counts a later message without a code on the same inquiry, and a new visit later as a repeat', async () => {
    const first = (await inquiries())[0]!;
    const later = new Date(first.received_at.getTime() + DAY);
    expect((await postMeta(metaTextWebhook({ id: 'wamid.second', text: 'А доставка завтра?', from: '79161234567', userId: 'RU.1234567890', ts: later }))).status).toBe(200);
    let list = await inquiries();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ message_count: 2, last_message_at: later });

    const pv = await visit('utm_source=vk&utm_medium=social');
    const weekLater = new Date(first.received_at.getTime() + 8 * DAY);
    expect((await postMeta(metaTextWebhook({ id: 'wamid.third', text: `Снова я. Номер обращения: ${pv.c}`, userId: 'RU.1234567890', ts: weekLater }))).status).toBe(200);
    list = await inquiries();
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ type: 'repeat', match_method: 'code', session_code: pv.c, contact_id: list[0]!.contact_id });
  });

  it('opens one inquiry when a new person’s messages and a redelivery arrive at the same moment', async () => {
    const pv = await visit('utm_source=google&utm_medium=cpc');
    const ts = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000); // Meta stamps to the second
    const first = metaTextWebhook({ id: 'wamid.burst.1', text: `Номер обращения: ${pv.c}`, from: '79160000001', userId: 'RU.burst', ts });
    const bodies = [first, first, ...[2, 3, 4].map((n) => metaTextWebhook({ id: `wamid.burst.${n}`, text: `ещё ${n}, ${pv.c}`, from: '79160000001', userId: 'RU.burst', ts: new Date(ts.getTime() + n * 1000) }))];
    const answers = await Promise.all(bodies.map((b) => postMeta(b)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    const contact = await db().selectFrom('contacts').select('id').where('site_id', '=', site.id).where('external_id', '=', 'RU.burst').executeTakeFirstOrThrow();
    const opened = (await inquiries()).filter((i) => i.contact_id === contact.id);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ message_count: 4, match_method: 'code', session_code: pv.c, type: 'new', received_at: ts });
    const messages = await db().selectFrom('messages').select(['kind', 'inquiry_id']).where('site_id', '=', site.id).where('contact_id', '=', contact.id).execute();
    expect(messages).toHaveLength(4);
    expect(messages.every((m) => Number(m.inquiry_id) === Number(opened[0]!.id))).toBe(true);
  });

  it('refuses bad or missing signatures, malformed bodies and unknown channels, storing nothing', async () => {
    const before = await db().selectFrom('messages').select('provider_message_id').execute();
    const body = metaTextWebhook({ id: 'wamid.forged', text: 'x', from: '79000000000', ts: new Date() });
    expect((await postMeta(body, 'sha256=' + '0'.repeat(64))).status).toBe(401);
    const missing = await fetch(`${base}/v1/webhooks/meta/${meta.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'unauthorized' });
    expect((await postMeta('{"object":')).status).toBe(400);
    expect((await postGeneric({ from: { id: 'x' } })).status).toBe(400);
    const unknown = await fetch(`${base}/v1/webhooks/meta/nochannel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unknown.status).toBe(404);
    const wrongProvider = await fetch(`${base}/v1/webhooks/twilio/${meta.id}`, { method: 'POST', body: 'a=b' });
    expect(wrongProvider.status).toBe(404);
    const huge = await postMeta(JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(huge.status).toBe(413);
    expect(await db().selectFrom('messages').select('provider_message_id').execute()).toHaveLength(before.length);
  });

  it('matches a Telegram /start parameter, and never a code of another site', async () => {
    const pv = await visit('utm_source=google&utm_medium=cpc');
    const body = telegramMessage({ updateId: 1001, userId: 5550001, text: `/start ${pv.c}`, ts: new Date(), username: 'ivan' });
    const res = await fetch(`${base}/v1/webhooks/telegram/${bot.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': bot.secret },
      body,
    });
    expect(res.status).toBe(200);
    const last = (await inquiries()).at(-1)!;
    expect(last).toMatchObject({ match_method: 'start', session_code: pv.c });

    const foreign = pageview(other.key);
    await fetch(`${base}/v1/hit`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(foreign) });
    expect((await postGeneric({ id: 'g-foreign', from: { id: '79007770000' }, text: `Код ${foreign.c}` })).status).toBe(200);
    const inq = (await inquiries()).at(-1)!;
    expect(inq.session_code).toBeNull();
    expect(inq.match_method).not.toBe('code');
  });

  it('attributes a message whose code was deleted to the one recent click, with a confidence', async () => {
    // Another visitor's click long before, outside the window, does not make it ambiguous.
    const pv = await visit('utm_source=instagram&utm_medium=paid_social');
    expect((await postGeneric({ id: 'g-probable', from: { id: '79005550000', phone: '79005550000' }, text: 'Здравствуйте, сколько стоит доставка?' })).status).toBe(200);
    const inq = (await inquiries()).at(-1)!;
    expect(inq).toMatchObject({ match_method: 'probable', session_code: pv.c });
    expect(inq.match_confidence).toBeGreaterThan(0.5);
    expect(inq.match_confidence).toBeLessThan(1);
  });

  it('keeps the real first message when deliveries arrive out of order', async () => {
    const pv = await visit('utm_source=yandex&utm_medium=organic');
    const t1 = new Date(Date.now() - 60_000);
    const t2 = new Date(Date.now() - 30_000);
    expect((await postGeneric({ id: 'g-ooo-2', from: { id: '79008880000' }, text: 'это второе сообщение', timestamp: Math.floor(t2.getTime() / 1000) })).status).toBe(200);
    expect((await postGeneric({ id: 'g-ooo-1', from: { id: '79008880000' }, text: `Привет! ${pv.c}`, timestamp: t1.toISOString() })).status).toBe(200);
    const mine = (await inquiries()).filter((i) => i.first_message?.includes(pv.c) || i.first_message === 'это второе сообщение');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ match_method: 'code', session_code: pv.c, first_message: `Привет! ${pv.c}`, message_count: 2 });
    expect(mine[0]!.received_at.getTime()).toBe(t1.getTime());
  });

  it('pages the journal newest first without gaps or repeats, and shows the detail with history and path', async () => {
    const all: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await journal(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: Array<{ id: number; received_at: string }>; next_cursor: string | null };
      all.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    const ids = (await inquiries()).sort((a, b) => b.received_at.getTime() - a.received_at.getTime() || b.id - a.id).map((i) => i.id);
    expect(all).toEqual(ids);

    const repeat = (await inquiries()).find((i) => i.type === 'repeat')!;
    const detail = (await (await journal(`/${repeat.id}`)).json()) as { history: Array<{ id: number }>; path: Array<{ url: string }> };
    expect(detail.history.map((h) => h.id)).toEqual([(await inquiries())[0]!.id]);
    expect(detail.path.map((p) => p.url)).toEqual(['https://shop.example.com/roses?utm_source=vk&utm_medium=social']);
  });

  it('guards the journal: no key 401, a foreign key 404, a bad cursor or filter 400', async () => {
    expect((await fetch(`${base}/v1/sites/${site.id}/inquiries`)).status).toBe(401);
    expect((await journal('', 'cmk_not_a_key')).status).toBe(401);
    expect((await journal('', other.api_key)).status).toBe(404);
    expect((await journal('/1', other.api_key)).status).toBe(404);
    expect((await journal('?cursor=%%%')).status).toBe(400);
    expect((await journal('?colour=red')).status).toBe(400);
    expect((await journal('?from=yesterday')).status).toBe(400);
    const admin = await fetch(`${base}/v1/sites/${site.key}/inquiries?limit=1`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.status).toBe(200);
  });

  it('keeps one contact when a person known by phone later arrives with a business-scoped id', async () => {
    const t0 = new Date(Date.now() + 120_000);
    expect((await postMeta(metaTextWebhook({ id: 'wamid.phone-only', text: 'Добрый день', from: '79260000001', ts: t0 }))).status).toBe(200);
    expect((await postMeta(metaTextWebhook({ id: 'wamid.bsuid', text: 'Ещё вопрос', from: '79260000001', userId: 'RU.5550001', ts: new Date(t0.getTime() + 60_000) }))).status).toBe(200);
    const contacts = await db().selectFrom('contacts').select(['external_id', 'phone']).where('site_id', '=', site.id).where('phone', '=', '79260000001').execute();
    expect(contacts).toEqual([{ external_id: 'RU.5550001', phone: '79260000001' }]);
    const inq = (await inquiries()).at(-1)!;
    expect(inq).toMatchObject({ first_message: 'Добрый день', message_count: 2 });
  });

  it('verifies Twilio’s signature over the public URL and the form fields', async () => {
    const twilio = await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'twilio', address: '79991234567', secret: 'twilio-auth-token-123' }, 'https://cm');
    const pv = await visit('utm_source=facebook&utm_medium=paid_social');
    const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', From: 'whatsapp:+79031112233', To: 'whatsapp:+79991234567', Body: `Здравствуйте ${pv.c}`, ProfileName: 'Олег', WaId: '79031112233', SmsStatus: 'received', NumMedia: '0' };
    const url = `https://cm.example.com/v1/webhooks/twilio/${twilio.id}`;
    const signed = url + Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join('');
    const signature = createHmac('sha1', 'twilio-auth-token-123').update(signed).digest('base64');
    const post = (sig: string) =>
      fetch(`${base}/v1/webhooks/twilio/${twilio.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: new URLSearchParams(params).toString() });
    expect((await post('AAAA' + signature.slice(4))).status).toBe(401);
    expect((await post(signature)).status).toBe(200);
    expect((await inquiries()).at(-1)).toMatchObject({ channel_id: twilio.id, match_method: 'code', session_code: pv.c, type: 'new' });
  });

  it('does not keep message text when the site says not to', async () => {
    await db().updateTable('sites').set({ settings: { store_text: false } }).where('id', '=', site.id).execute();
    expect((await postGeneric({ id: 'g-private', from: { id: '79001112233' }, text: 'секрет' })).status).toBe(200);
    const inq = (await inquiries()).at(-1)!;
    expect(inq.first_message).toBeNull();
    const msg = await db().selectFrom('messages').select(['text', 'raw']).where('provider_message_id', '=', 'g-private').executeTakeFirstOrThrow();
    expect(msg).toEqual({ text: null, raw: null });
    await db().updateTable('sites').set({ settings: { language: 'ru' } }).where('id', '=', site.id).execute();
  });

  // A platform redelivers what it is refused: a message the database cannot take as sent (a NUL,
  // an unpaired surrogate) must still be stored, or it would block the channel for good.
  it('stores a message whose text or name holds characters the database refuses, as U+FFFD', async () => {
    const res = await postGeneric({ id: 'g-poison', from: { id: '79004445566', name: 'Ива\u0000н' }, text: 'привет\u0000 \ud83c мир 🌷' });
    expect(res.status).toBe(200);
    const msg = await db().selectFrom('messages').select(['text', 'raw']).where('provider_message_id', '=', 'g-poison').executeTakeFirstOrThrow();
    expect(msg.text).toBe('привет\ufffd \ufffd мир 🌷');
    expect(JSON.stringify(msg.raw)).toContain('привет');
    const contact = await db().selectFrom('contacts').select('name').where('site_id', '=', site.id).where('external_id', '=', '79004445566').executeTakeFirstOrThrow();
    expect(contact.name).toBe('Ива\ufffdн');
  });
});
