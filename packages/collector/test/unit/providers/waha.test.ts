import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { SECRET, bytes, channel, fixture, fixtureJson, hmacHex, request } from './support.ts';

const adapter = ADAPTERS.waha;
const ch = channel('waha', { address: '79001234567' });

function signed(body: Buffer) {
  return request(body, {
    'x-webhook-hmac': hmacHex('sha512', body),
    'x-webhook-hmac-algorithm': 'sha512',
    'x-webhook-request-id': '01jx7k5w3h',
    'x-webhook-timestamp': '1750000700123',
  });
}

describe('waha: verify', () => {
  it('accepts X-Webhook-Hmac (hex HMAC-SHA512 of the raw body)', () => {
    expect(() => adapter.verify(signed(fixture('waha-message.json')), ch)).not.toThrow();
  });

  it('accepts ?token=<secret> when WAHA signs nothing', () => {
    expect(() => adapter.verify(request(fixture('waha-message.json'), {}, { token: SECRET }), ch)).not.toThrow();
  });

  it('refuses a bad HMAC (even with a right token), a SHA-256 HMAC, no HMAC and no token, a wrong token', () => {
    const raw = fixture('waha-message.json');
    const cases = [
      request(raw, { 'x-webhook-hmac': hmacHex('sha512', raw, 'guess') }),
      request(raw, { 'x-webhook-hmac': hmacHex('sha512', raw, 'guess') }, { token: SECRET }),
      request(raw, { 'x-webhook-hmac': hmacHex('sha256', raw) }),
      request(raw, { 'x-webhook-hmac': '' }),
      request(raw, {}),
      request(raw, {}, { token: 'guess' }),
    ];
    for (const req of cases) expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
  });
});

describe('waha: parse', () => {
  it('reads an incoming message', () => {
    expect(adapter.parse(signed(fixture('waha-message.json')), ch)).toEqual([
      {
        providerMessageId: 'false_79161234567@c.us_3EB0B2A7E5F1D9A0C1B2',
        kind: 'message',
        messenger: 'whatsapp',
        timestamp: new Date(1750000700 * 1000),
        from: { id: '79161234567', phone: '79161234567', name: 'Мария', username: null },
        chatId: '79161234567@c.us',
        text: 'Здравствуйте! Номер обращения: K7M2XQ9P',
        startParam: null,
        referral: null,
        raw: fixtureJson('waha-message.json'),
      },
    ]);
  });

  it('reads a group message as group, keyed by the participant', () => {
    const [message] = adapter.parse(signed(fixture('waha-group.json')), ch);
    expect(message).toMatchObject({
      kind: 'group',
      from: { id: '79161234567', phone: '79161234567', name: 'Мария' },
      chatId: '120363025555555555@g.us',
      text: 'Anyone been to the new shop?',
    });
  });

  it('reads our own message (message.any, fromMe) as an echo in the customer chat', () => {
    const [message] = adapter.parse(signed(fixture('waha-own.json')), ch);
    expect(message).toMatchObject({ kind: 'echo', from: { id: '79001234567' }, chatId: '79161234567@c.us' });
    const incoming = fixtureJson('waha-message.json');
    incoming.event = 'message.any';
    expect(adapter.parse(signed(bytes(incoming)), ch)[0]?.kind).toBe('message');
    const ownOnMessage = fixtureJson('waha-own.json');
    ownOnMessage.event = 'message';
    expect(adapter.parse(signed(bytes(ownOnMessage)), ch)[0]?.kind).toBe('echo');
  });

  it('keeps an @lid sender as an id, never as a phone (name from pushName)', () => {
    const [message] = adapter.parse(signed(fixture('waha-lid.json')), ch);
    expect(message?.from).toEqual({ id: '98765432109876@lid', phone: null, name: 'Lid User', username: null });
    expect(message?.kind).toBe('message');
  });

  it('strips a device suffix and reads @s.whatsapp.net senders as phones', () => {
    const msg = fixtureJson('waha-message.json');
    msg.payload.from = '79161234567:12@s.whatsapp.net';
    expect(adapter.parse(signed(bytes(msg)), ch)[0]?.from).toMatchObject({ id: '79161234567', phone: '79161234567' });
  });

  it('answers [] for other events', () => {
    for (const event of ['message.ack', 'session.status', 'presence.update', 'message.reaction']) {
      expect(adapter.parse(signed(bytes({ event, session: 'default', payload: {} })), ch)).toEqual([]);
    }
  });

  it('refuses malformed bodies with WebhookParseError', () => {
    const noPayload = fixtureJson('waha-message.json');
    delete noPayload.payload;
    const noId = fixtureJson('waha-message.json');
    delete noId.payload.id;
    const noFrom = fixtureJson('waha-message.json');
    noFrom.payload.from = null;
    const cases = [bytes(''), bytes({ session: 'default' }), bytes(noPayload), bytes(noId), bytes(noFrom)];
    for (const raw of cases) expect(() => adapter.parse(signed(raw), ch), raw.toString()).toThrow(WebhookParseError);
  });
});
