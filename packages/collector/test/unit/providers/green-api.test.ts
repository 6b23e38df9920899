import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { SECRET, bytes, channel, fixture, fixtureJson, request } from './support.ts';

const adapter = ADAPTERS['green-api'];
const ch = channel('green-api', { address: '79001234567' });

function signed(body: Buffer) {
  return request(body, { authorization: `Bearer ${SECRET}` });
}

describe('green-api: verify', () => {
  it('accepts Authorization: Bearer <secret>, the bare secret, or ?token=<secret>', () => {
    const raw = fixture('green-api-incoming.json');
    expect(() => adapter.verify(signed(raw), ch)).not.toThrow();
    expect(() => adapter.verify(request(raw, { Authorization: `bearer ${SECRET}` }), ch)).not.toThrow();
    expect(() => adapter.verify(request(raw, { authorization: SECRET }), ch)).not.toThrow();
    expect(() => adapter.verify(request(raw, {}, { token: SECRET }), ch)).not.toThrow();
  });

  it('refuses a wrong or missing secret; a wrong header is not rescued by a right token', () => {
    const raw = fixture('green-api-incoming.json');
    const cases = [
      request(raw, { authorization: 'Bearer guess' }),
      request(raw, {}),
      request(raw, {}, { token: 'guess' }),
      request(raw, {}, { token: '' }),
      request(raw, { authorization: 'Bearer guess' }, { token: SECRET }),
    ];
    for (const req of cases) expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
  });
});

describe('green-api: parse', () => {
  it('reads an incoming text message', () => {
    expect(adapter.parse(signed(fixture('green-api-incoming.json')), ch)).toEqual([
      {
        providerMessageId: 'F7AEC1B7086ECDC7E6E45923F5EDB825',
        kind: 'message',
        messenger: 'whatsapp',
        timestamp: new Date(1750000500 * 1000),
        from: { id: '79161234567', phone: '79161234567', name: 'Мария', username: null },
        chatId: '79161234567@c.us',
        text: 'Здравствуйте! Номер обращения: K7M2XQ9P',
        startParam: null,
        referral: null,
        raw: fixtureJson('green-api-incoming.json'),
      },
    ]);
  });

  it('reads outgoing messages (phone or API) as echoes, with a link text', () => {
    const [phone] = adapter.parse(signed(fixture('green-api-outgoing.json')), ch);
    expect(phone).toMatchObject({ kind: 'echo', from: { id: '79001234567' }, chatId: '79161234567@c.us', text: 'Добрый день! Каталог: https://shop.example/catalog' });
    const api = fixtureJson('green-api-outgoing.json');
    api.typeWebhook = 'outgoingAPIMessageReceived';
    expect(adapter.parse(signed(bytes(api)), ch)[0]?.kind).toBe('echo');
  });

  it('keeps an @lid sender as an id, never as a phone', () => {
    const [message] = adapter.parse(signed(fixture('green-api-lid.json')), ch);
    expect(message?.from).toEqual({ id: '120363041234567890@lid', phone: null, name: 'Hidden Number', username: null });
    expect(message?.kind).toBe('message');
  });

  it('reads group messages as group, keyed by the member; Status posts as other', () => {
    const group = fixtureJson('green-api-incoming.json');
    group.senderData = { chatId: '120363025555555555@g.us', sender: '79161234567@c.us', chatName: 'Flowers', senderName: 'Мария' };
    expect(adapter.parse(signed(bytes(group)), ch)[0]).toMatchObject({ kind: 'group', from: { id: '79161234567', phone: '79161234567' }, chatId: '120363025555555555@g.us' });
    const status = fixtureJson('green-api-incoming.json');
    status.senderData.chatId = 'status@broadcast';
    expect(adapter.parse(signed(bytes(status)), ch)[0]?.kind).toBe('other');
  });

  it('reads a caption and a reaction', () => {
    const image = fixtureJson('green-api-incoming.json');
    image.messageData = { typeMessage: 'imageMessage', fileMessageData: { downloadUrl: 'https://x/y.jpg', caption: 'Ref K7M2XQ9P', mimeType: 'image/jpeg' } };
    expect(adapter.parse(signed(bytes(image)), ch)[0]).toMatchObject({ kind: 'message', text: 'Ref K7M2XQ9P' });
    const reaction = fixtureJson('green-api-incoming.json');
    reaction.messageData = { typeMessage: 'reactionMessage', extendedTextMessageData: { text: '👍' }, quotedMessage: { stanzaId: 'X' } };
    expect(adapter.parse(signed(bytes(reaction)), ch)[0]?.kind).toBe('reaction');
  });

  it('answers [] for statuses, state changes and calls', () => {
    expect(adapter.parse(signed(fixture('green-api-status.json')), ch)).toEqual([]);
    for (const typeWebhook of ['stateInstanceChanged', 'incomingCall', 'deviceInfo', 'constructor', '__proto__']) {
      expect(adapter.parse(signed(bytes({ typeWebhook, timestamp: 1 })), ch)).toEqual([]);
    }
  });

  it('refuses malformed bodies with WebhookParseError', () => {
    const noId = fixtureJson('green-api-incoming.json');
    delete noId.idMessage;
    const noSender = fixtureJson('green-api-incoming.json');
    delete noSender.senderData;
    const numericChat = fixtureJson('green-api-incoming.json');
    numericChat.senderData.chatId = 79161234567;
    const cases = [bytes('<xml/>'), bytes({ timestamp: 1 }), bytes({ typeWebhook: 5 }), bytes(noId), bytes(noSender), bytes(numericChat)];
    for (const raw of cases) expect(() => adapter.parse(signed(raw), ch), raw.toString()).toThrow(WebhookParseError);
  });
});
