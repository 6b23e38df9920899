import { describe, expect, it } from 'vitest';
import { ADAPTERS, metaHandshake } from '../../../src/inbound/providers/index.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { bytes, channel, fixture, fixtureJson, hmacHex, request } from './support.ts';

const adapter = ADAPTERS.meta;
const ch = channel('meta', { verifyToken: 'verify-me' });

function signed(body: Buffer) {
  return request(body, { 'x-hub-signature-256': `sha256=${hmacHex('sha256', body)}` });
}

/** A Cloud API POST around one `value` (one entry, one change). */
function post(value: object, field = 'messages') {
  return { object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field, value }] }] };
}

const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

function textMessage(id: string, from: string, body: string, extra: object = {}) {
  return { from, id, timestamp: '1749416383', type: 'text', text: { body }, ...extra };
}

describe('meta: verify', () => {
  it('accepts X-Hub-Signature-256 over the exact raw bytes (escaped unicode as Meta sends it)', () => {
    const raw = fixture('meta-text.json');
    expect(() => adapter.verify(signed(raw), ch)).not.toThrow();
  });

  it('refuses a signature of the re-serialized JSON: only the bytes as sent count', () => {
    const raw = fixture('meta-text.json');
    const reserialized = bytes(JSON.parse(raw.toString('utf8')));
    expect(reserialized.equals(raw)).toBe(false);
    const req = request(raw, { 'x-hub-signature-256': `sha256=${hmacHex('sha256', reserialized)}` });
    expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
  });

  it('accepts upper-case hex and a header name in any case', () => {
    const raw = fixture('meta-text.json');
    const req = request(raw, { 'X-Hub-Signature-256': `sha256=${hmacHex('sha256', raw).toUpperCase()}` });
    expect(() => adapter.verify(req, ch)).not.toThrow();
  });

  it('refuses a bad signature, a missing one, another key, and the legacy sha1 header alone', () => {
    const raw = fixture('meta-text.json');
    const cases = [
      request(raw, { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }),
      request(raw, {}),
      request(raw, { 'x-hub-signature-256': `sha256=${hmacHex('sha256', raw, 'another-secret')}` }),
      request(raw, { 'x-hub-signature-256': hmacHex('sha256', raw) }),
      request(raw, { 'x-hub-signature': 'sha1=0123456789abcdef0123456789abcdef01234567' }),
    ];
    for (const req of cases) expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
  });

  it('refuses everything on a channel with an empty secret (an empty HMAC key is no secret)', () => {
    const raw = fixture('meta-text.json');
    const req = request(raw, { 'x-hub-signature-256': `sha256=${hmacHex('sha256', raw, '')}` });
    expect(() => adapter.verify(req, { ...ch, secret: '' })).toThrow(WebhookAuthError);
  });
});

describe('meta: parse', () => {
  it('reads an incoming text message as documented', () => {
    const raw = fixture('meta-text.json');
    const [message, ...rest] = adapter.parse(signed(raw), ch);
    expect(rest).toEqual([]);
    expect(message).toEqual({
      providerMessageId: 'wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      kind: 'message',
      messenger: 'whatsapp',
      timestamp: new Date(1749416383 * 1000),
      from: { id: 'US.13491208655302741918', phone: '16505551234', name: 'Шина Нельсон', username: null },
      chatId: null,
      text: 'Здравствуйте! Номер обращения: K7M2XQ9P',
      startParam: null,
      referral: null,
      raw: fixtureJson('meta-text.json').entry[0].changes[0].value.messages[0],
    });
  });

  it('reads every entry, change and message of one POST, in order, and skips statuses among them', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: METADATA,
                contacts: [
                  { profile: { name: 'A' }, wa_id: '11111111111', user_id: 'US.1' },
                  { profile: { name: 'B' }, wa_id: '22222222222', user_id: 'US.2' },
                ],
                messages: [textMessage('wamid.1', '11111111111', 'one'), textMessage('wamid.2', '22222222222', 'two')],
              },
            },
            { field: 'messages', value: { metadata: METADATA, statuses: [{ id: 'wamid.out', status: 'read', timestamp: '1', recipient_id: '1' }] } },
          ],
        },
        {
          id: 'WABA2',
          changes: [{ field: 'messages', value: { metadata: METADATA, contacts: [{ profile: { name: 'C' }, wa_id: '33333333333' }], messages: [textMessage('wamid.3', '33333333333', 'three')] } }],
        },
      ],
    };
    const out = adapter.parse(signed(bytes(body)), ch);
    expect(out.map((m) => [m.providerMessageId, m.from?.id, m.from?.name, m.text])).toEqual([
      ['wamid.1', 'US.1', 'A', 'one'],
      ['wamid.2', 'US.2', 'B', 'two'],
      // No business-scoped id: the phone is the key.
      ['wamid.3', '33333333333', 'C', 'three'],
    ]);
  });

  it('answers [] for a status-only POST', () => {
    expect(adapter.parse(signed(fixture('meta-status.json')), ch)).toEqual([]);
  });

  it('answers [] for fields other than messages', () => {
    const body = post({ event: 'VERIFIED_ACCOUNT' }, 'account_update');
    expect(adapter.parse(signed(bytes(body)), ch)).toEqual([]);
  });

  it('keys a 2026 BSUID-only sender by the business-scoped id, with no phone', () => {
    const [message] = adapter.parse(signed(fixture('meta-bsuid-only.json')), ch);
    expect(message?.kind).toBe('message');
    expect(message?.from).toEqual({ id: 'US.13491208655302741918', phone: null, name: 'Sheena Nelson', username: 'sheena.n' });
  });

  it('takes the BSUID from the contact when the message carries only the phone', () => {
    const body = post({
      metadata: METADATA,
      contacts: [{ profile: { name: 'D' }, wa_id: '44444444444', user_id: 'DE.4' }],
      messages: [textMessage('wamid.4', '44444444444', 'hi')],
    });
    const [message] = adapter.parse(signed(bytes(body)), ch);
    expect(message?.from).toEqual({ id: 'DE.4', phone: '44444444444', name: 'D', username: null });
  });

  it('does not lend a single contact to a message whose ids contradict it', () => {
    const body = post({
      metadata: METADATA,
      contacts: [{ profile: { name: 'Someone else' }, wa_id: '55555555555', user_id: 'US.5' }],
      messages: [textMessage('wamid.6', '66666666666', 'hi')],
    });
    const [message] = adapter.parse(signed(bytes(body)), ch);
    expect(message?.from).toEqual({ id: '66666666666', phone: '66666666666', name: null, username: null });
  });

  it('keeps the click-to-WhatsApp ad referral', () => {
    const [message] = adapter.parse(signed(fixture('meta-referral.json')), ch);
    expect(message?.referral).toEqual({
      source_id: '120214440000000000',
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_type: 'ad',
      headline: 'Chat with us',
      body: 'Spring sale: 20% off',
      ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP8DM3Z8w',
    });
  });

  it('keeps a Status-placement referral that has no ctwa_clid', () => {
    const body = post({
      metadata: METADATA,
      messages: [textMessage('wamid.7', '77777777777', 'hi', { referral: { source_id: '1202', source_type: 'ad', source_url: 'https://fb.me/x' } })],
    });
    const [message] = adapter.parse(signed(bytes(body)), ch);
    expect(message?.referral).toEqual({ source_id: '1202', source_url: 'https://fb.me/x', source_type: 'ad', headline: null, body: null, ctwa_clid: null });
  });

  it('reads a message from the business number itself as an echo', () => {
    const body = post({ metadata: { ...METADATA, display_phone_number: '+1 555-078-3881' }, messages: [textMessage('wamid.8', '15550783881', 'our own')] });
    const [message] = adapter.parse(signed(bytes(body)), channel('meta', { address: '10000000000' }));
    expect(message?.kind).toBe('echo');
  });

  it('takes button, interactive and caption texts as text; reactions and system messages are not messages', () => {
    const messages = [
      { from: '1', id: 'b', timestamp: '1', type: 'button', button: { text: 'Yes, call me', payload: 'YES' } },
      { from: '1', id: 'i1', timestamp: '1', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'x', title: 'Book now' } } },
      { from: '1', id: 'i2', timestamp: '1', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'y', title: 'Roses', description: '' } } },
      { from: '1', id: 'img', timestamp: '1', type: 'image', image: { id: 'media', mime_type: 'image/jpeg', caption: 'Ref K7M2XQ9P' } },
      { from: '1', id: 'doc', timestamp: '1', type: 'document', document: { id: 'media', filename: 'a.pdf' } },
      { from: '1', id: 'r', timestamp: '1', type: 'reaction', reaction: { message_id: 'wamid.out', emoji: '👍' } },
      { from: '1', id: 's', timestamp: '1', type: 'system', system: { body: 'changed number', type: 'user_changed_number' } },
    ];
    const out = adapter.parse(signed(bytes(post({ metadata: METADATA, messages }))), ch);
    expect(out.map((m) => [m.providerMessageId, m.kind, m.text])).toEqual([
      ['b', 'message', 'Yes, call me'],
      ['i1', 'message', 'Book now'],
      ['i2', 'message', 'Roses'],
      ['img', 'message', 'Ref K7M2XQ9P'],
      ['doc', 'message', null],
      ['r', 'reaction', null],
      ['s', 'other', null],
    ]);
  });

  it('uses the present moment when the timestamp is missing or unreadable', () => {
    const before = Date.now();
    const out = adapter.parse(
      signed(bytes(post({ metadata: METADATA, messages: [{ from: '1', id: 'a', type: 'text', text: { body: 'x' } }, { from: '1', id: 'b', timestamp: 'soon', type: 'text', text: { body: 'x' } }] }))),
      ch,
    );
    for (const m of out) expect(m.timestamp.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('refuses malformed bodies with WebhookParseError', () => {
    const cases: Buffer[] = [
      bytes('not json'),
      bytes('[]'),
      bytes({ object: 'whatsapp_business_account' }),
      bytes({ entry: {} }),
      bytes({ entry: [{ changes: 'x' }] }),
      bytes({ entry: [{ changes: [{ field: 'messages' }] }] }),
      bytes(post({ messages: [{ from: '1', timestamp: '1', type: 'text', text: { body: 'no id' } }] })),
      bytes(post({ messages: [{ id: 'wamid.x', timestamp: '1', type: 'text', text: { body: 'no sender' } }] })),
      bytes(post({ messages: ['not an object'] })),
    ];
    for (const raw of cases) expect(() => adapter.parse(signed(raw), ch), raw.toString()).toThrow(WebhookParseError);
  });
});

describe('meta: handshake', () => {
  it('answers the challenge for our verify token', () => {
    expect(metaHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' }, ch)).toBe('1158201444');
  });

  it('refuses a wrong or missing token, another mode, a channel without a token, and no challenge', () => {
    const cases: [Record<string, string | undefined>, typeof ch][] = [
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }, ch],
      [{ 'hub.mode': 'subscribe', 'hub.challenge': '1' }, ch],
      [{ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1' }, ch],
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' }, { ...ch, verifyToken: null }],
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me' }, ch],
    ];
    for (const [query, c] of cases) expect(() => metaHandshake(query, c)).toThrow(WebhookAuthError);
  });
});
