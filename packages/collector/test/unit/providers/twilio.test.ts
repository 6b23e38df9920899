import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { twilioSignature } from '../../../src/inbound/providers/twilio.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { SECRET, bytes, channel, fixture, request } from './support.ts';

const adapter = ADAPTERS.twilio;
const ch = channel('twilio');
const URL_WITH_QUERY = 'https://chatmark.example/v1/webhooks/twilio/ch_twilio?source=wa&x=%20y';

/** Twilio's steps written out independently: URL, then name+value sorted by name, HMAC-SHA1, base64. */
function sign(url: string, body: Buffer, key = SECRET): string {
  const params = [...new URLSearchParams(body.toString('utf8'))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', key).update(url + params.map(([k, v]) => k + v).join('')).digest('base64');
}

function signed(body: Buffer, url = URL_WITH_QUERY, signUrl = url) {
  return request(body, { 'x-twilio-signature': sign(signUrl, body) }, {}, url);
}

function form(params: Record<string, string>): Buffer {
  return bytes(new URLSearchParams(params).toString());
}

describe('twilio: verify', () => {
  it("reproduces the vector from Twilio's documentation and helper libraries", () => {
    const params: [string, string][] = [
      ['To', '+18005551212'],
      ['Digits', '1234'],
      ['From', '+14158675309'],
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+14158675309'],
    ];
    expect(twilioSignature('https://mycompany.com/myapp.php?foo=1&bar=2', params, '12345')).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('accepts the signature over a URL with a query string and unsorted form parameters', () => {
    const raw = fixture('twilio-inbound.form');
    expect(raw.toString().startsWith('SmsMessageSid=')).toBe(true); // not in name order as sent
    expect(() => adapter.verify(signed(raw), ch)).not.toThrow();
  });

  it('accepts the same parameters in another order (the signature sorts them)', () => {
    const a = form({ Body: 'hi', From: 'whatsapp:+1', MessageSid: 'SM1' });
    const b = form({ MessageSid: 'SM1', From: 'whatsapp:+1', Body: 'hi' });
    const req = request(b, { 'x-twilio-signature': sign(URL_WITH_QUERY, a) }, {}, URL_WITH_QUERY);
    expect(() => adapter.verify(req, ch)).not.toThrow();
  });

  it('accepts a signature made with the default port written out, or left off', () => {
    const raw = fixture('twilio-inbound.form');
    expect(() => adapter.verify(signed(raw, 'https://chatmark.example/wh?a=1', 'https://chatmark.example:443/wh?a=1'), ch)).not.toThrow();
    expect(() => adapter.verify(signed(raw, 'https://chatmark.example:443/wh?a=1', 'https://chatmark.example/wh?a=1'), ch)).not.toThrow();
  });

  it('refuses a bad or missing signature, another URL, another token and a tampered parameter', () => {
    const raw = fixture('twilio-inbound.form');
    const tampered = bytes(raw.toString().replace('Body=Hello', 'Body=Hallo'));
    const cases = [
      request(raw, { 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' }, {}, URL_WITH_QUERY),
      request(raw, {}, {}, URL_WITH_QUERY),
      signed(raw, URL_WITH_QUERY, URL_WITH_QUERY.replace('https:', 'http:')),
      signed(raw, URL_WITH_QUERY, URL_WITH_QUERY.replace('?source=wa&x=%20y', '')),
      request(raw, { 'x-twilio-signature': sign(URL_WITH_QUERY, raw, 'other-token') }, {}, URL_WITH_QUERY),
      request(tampered, { 'x-twilio-signature': sign(URL_WITH_QUERY, raw) }, {}, URL_WITH_QUERY),
    ];
    for (const req of cases) expect(() => adapter.verify(req, ch)).toThrow(WebhookAuthError);
  });
});

describe('twilio: parse', () => {
  it('reads an incoming WhatsApp message', () => {
    const before = Date.now();
    const [message, ...rest] = adapter.parse(signed(fixture('twilio-inbound.form')), ch);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      providerMessageId: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      kind: 'message',
      messenger: 'whatsapp',
      from: { id: '61400000001', phone: '61400000001', name: 'Jane Doe', username: null },
      chatId: null,
      text: 'Hello! Order no. K7M2XQ9P',
      startParam: null,
      referral: null,
    });
    // Twilio sends no time: the moment of receipt.
    expect(message?.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(message?.raw).toMatchObject({ MessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', WaId: '61400000001' });
  });

  it('keeps the flat Referral* fields as the ad referral', () => {
    const raw = form({
      MessageSid: 'SM2',
      From: 'whatsapp:+447700900123',
      Body: 'Is this available?',
      ReferralSourceId: '120214440000000000',
      ReferralSourceType: 'ad',
      ReferralSourceUrl: 'https://fb.me/3cr4Wqqkv',
      ReferralHeadline: 'Chat with us',
      ReferralBody: 'Spring sale',
      ReferralCtwaClid: 'ARAkLkA8rmlF',
      ReferralNumMedia: '0',
    });
    const [message] = adapter.parse(signed(raw), ch);
    expect(message?.referral).toEqual({
      source_id: '120214440000000000',
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_type: 'ad',
      headline: 'Chat with us',
      body: 'Spring sale',
      ctwa_clid: 'ARAkLkA8rmlF',
    });
    // Without WaId the number in From is the id.
    expect(message?.from?.id).toBe('447700900123');
  });

  it('answers [] for a status callback sent to the same URL', () => {
    const raw = form({ MessageSid: 'SM3', MessageStatus: 'delivered', SmsStatus: 'delivered', From: 'whatsapp:+14155238886', To: 'whatsapp:+61400000001' });
    expect(adapter.parse(signed(raw), ch)).toEqual([]);
  });

  it('refuses a body without MessageSid or From', () => {
    for (const raw of [form({ From: 'whatsapp:+1', Body: 'x' }), form({ MessageSid: 'SM4', Body: 'x' }), form({ MessageSid: 'SM5', From: 'whatsapp:' }), bytes('')]) {
      expect(() => adapter.parse(signed(raw), ch)).toThrow(WebhookParseError);
    }
  });
});
