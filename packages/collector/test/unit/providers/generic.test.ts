import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { bytes, channel, fixture, fixtureJson, hmacHex, request } from './support.ts';

const adapter = ADAPTERS.generic;
const ch = channel('generic');

function signed(body: Buffer) {
  return request(body, { 'x-chatmark-signature': `sha256=${hmacHex('sha256', body)}` });
}

describe('generic: verify', () => {
  it('accepts X-Chatmark-Signature: sha256=<hex HMAC of the raw body>', () => {
    expect(() => adapter.verify(signed(fixture('generic.json')), ch)).not.toThrow();
  });

  it('refuses a bad, missing or unprefixed signature', () => {
    const raw = fixture('generic.json');
    const cases = [
      request(raw, { 'x-chatmark-signature': `sha256=${hmacHex('sha256', raw, 'guess')}` }),
      request(raw, {}),
      request(raw, { 'x-chatmark-signature': hmacHex('sha256', raw) }),
      request(bytes(`${raw.toString()} `), { 'x-chatmark-signature': `sha256=${hmacHex('sha256', raw)}` }),
    ];
    for (const req of cases) expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
  });
});

describe('generic: parse', () => {
  it('reads the CONTRACT §3 body', () => {
    expect(adapter.parse(signed(fixture('generic.json')), ch)).toEqual([
      {
        providerMessageId: 'demo-0001',
        kind: 'message',
        messenger: 'whatsapp',
        timestamp: new Date(1750001100 * 1000),
        from: { id: 'demo-visitor-1', phone: '79991234567', name: 'Demo Visitor', username: null },
        chatId: null,
        text: 'Здравствуйте! Номер обращения: K7M2XQ9P',
        startParam: null,
        referral: null,
        raw: fixtureJson('generic.json'),
      },
    ]);
  });

  it('reads an ISO 8601 timestamp; a missing or unreadable one is now', () => {
    const before = Date.now();
    const iso = { id: 'a', from: { id: 'u' }, text: 'x', timestamp: '2026-03-01T09:30:00+03:00' };
    expect(adapter.parse(signed(bytes(iso)), ch)[0]?.timestamp).toEqual(new Date('2026-03-01T06:30:00Z'));
    for (const timestamp of [undefined, 'not a date', -5]) {
      const [m] = adapter.parse(signed(bytes({ id: 'b', from: { id: 'u' }, text: 'x', timestamp })), ch);
      expect(m?.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    }
  });

  it('takes the messenger from the channel, and a /start parameter on a Telegram channel', () => {
    const tg = channel('generic', { messenger: 'telegram', address: 'shop_bot' });
    const [m] = adapter.parse(signed(bytes({ id: 'c', from: { id: '42', username: 'ivanp' }, text: '/start K7M2XQ9P' })), tg);
    expect(m).toMatchObject({ messenger: 'telegram', startParam: 'K7M2XQ9P', from: { id: '42', username: 'ivanp', phone: null, name: null } });
  });

  it('refuses malformed bodies with WebhookParseError', () => {
    const good = { id: 'd', from: { id: 'u' }, text: 'x' };
    const cases = [
      bytes('id=1'),
      bytes([good]),
      bytes({ ...good, id: undefined }),
      bytes({ ...good, id: 7 }),
      bytes({ ...good, from: undefined }),
      bytes({ ...good, from: 'u' }),
      bytes({ ...good, from: { name: 'no id' } }),
      bytes({ ...good, from: { id: 'u', phone: 79991234567 } }),
      bytes({ ...good, text: undefined }),
      bytes({ ...good, text: 5 }),
      bytes({ ...good, timestamp: { at: 1 } }),
    ];
    for (const raw of cases) expect(() => adapter.parse(signed(raw), ch), raw.toString()).toThrow(WebhookParseError);
  });
});
