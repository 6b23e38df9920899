import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { SECRET, bytes, channel, fixture, fixtureJson, request } from './support.ts';

const adapter = ADAPTERS.wazzup;
const ch = channel('wazzup');

function signed(body: Buffer) {
  return request(body, { authorization: `Bearer ${SECRET}` });
}

function message(overrides: object) {
  return { ...fixtureJson('wazzup-messages.json').messages[0], ...overrides };
}

describe('wazzup: verify', () => {
  it('accepts Authorization: Bearer <crmKey> or ?token=<secret>', () => {
    const raw = fixture('wazzup-messages.json');
    expect(() => adapter.verify(signed(raw), ch)).not.toThrow();
    expect(() => adapter.verify(request(raw, {}, { token: SECRET }), ch)).not.toThrow();
  });

  it('refuses a wrong or missing secret', () => {
    const raw = fixture('wazzup-messages.json');
    for (const req of [request(raw, { authorization: 'Bearer nope' }), request(raw, {}), request(raw, {}, { token: 'nope' })]) {
      expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
    }
  });
});

describe('wazzup: parse', () => {
  it('reads the inbound message and the echo of a mixed messages + statuses POST', () => {
    const body = fixtureJson('wazzup-messages.json');
    const out = adapter.parse(signed(fixture('wazzup-messages.json')), ch);
    expect(out).toEqual([
      {
        providerMessageId: '5a4b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d',
        kind: 'message',
        messenger: 'whatsapp',
        timestamp: new Date('2025-06-15T10:20:30.123Z'),
        from: { id: '79161234567', phone: '79161234567', name: 'Мария', username: null },
        chatId: '79161234567',
        text: 'Здравствуйте! Номер обращения: K7M2XQ9P',
        startParam: null,
        referral: null,
        raw: body.messages[0],
      },
      {
        providerMessageId: '6b5c3d2e-1f0a-4b9c-8d7e-7f6a5b4c3d2e',
        kind: 'echo',
        messenger: 'whatsapp',
        timestamp: new Date('2025-06-15T10:21:00.000Z'),
        from: null,
        chatId: '79161234567',
        text: 'Добрый день!',
        startParam: null,
        referral: null,
        raw: body.messages[1],
      },
    ]);
  });

  it('answers [] for the test ping, statuses only, and other webhook types', () => {
    for (const body of [{ test: true }, { statuses: [{ messageId: 'x', status: 'read' }] }, { createContact: { responsibleUserId: '1' } }, {}]) {
      expect(adapter.parse(signed(bytes(body)), ch)).toEqual([]);
    }
  });

  it('reads Telegram chats as telegram, groups as group, and passes over untracked messengers', () => {
    const tg = message({ chatType: 'telegram', chatId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', contact: { name: 'Ivan', username: 'ivanp', phone: '+7 916 123 45 67' } });
    const wgroup = message({ chatType: 'whatsgroup', chatId: '79161234567-1581764243' });
    const insta = message({ chatType: 'instagram', chatId: 'flower.fan' });
    const odd = message({ chatType: 'constructor' });
    const out = adapter.parse(signed(bytes({ messages: [tg, wgroup, insta, odd] })), ch);
    expect(out.map((m) => [m.messenger, m.kind, m.from, m.chatId])).toEqual([
      ['telegram', 'message', { id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', phone: '79161234567', name: 'Ivan', username: 'ivanp' }, '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
      ['whatsapp', 'group', null, '79161234567-1581764243'],
    ]);
  });

  it('uses the present moment for a missing or unreadable dateTime', () => {
    const before = Date.now();
    const [m] = adapter.parse(signed(bytes({ messages: [message({ dateTime: 'yesterday' })] })), ch);
    expect(m?.timestamp.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('refuses malformed bodies with WebhookParseError', () => {
    const cases = [
      bytes('nope'),
      bytes({ messages: {} }),
      bytes({ messages: ['x'] }),
      bytes({ messages: [message({ messageId: undefined })] }),
      bytes({ messages: [message({ chatId: 79161234567 })] }),
      bytes({ messages: [message({ chatType: null })] }),
    ];
    for (const raw of cases) expect(() => adapter.parse(signed(raw), ch), raw.toString()).toThrow(WebhookParseError);
  });
});
