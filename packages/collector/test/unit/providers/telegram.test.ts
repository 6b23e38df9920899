import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { WebhookAuthError, WebhookParseError } from '../../../src/inbound/types.ts';
import { SECRET, bytes, channel, fixture, fixtureJson, request } from './support.ts';

const adapter = ADAPTERS.telegram;
const ch = channel('telegram');

function signed(body: Buffer) {
  return request(body, { 'x-telegram-bot-api-secret-token': SECRET });
}

function parseOne(body: Buffer | object) {
  const out = adapter.parse(signed(Buffer.isBuffer(body) ? body : bytes(body)), ch);
  expect(out).toHaveLength(1);
  return out[0]!;
}

/** A private-chat text message update from user 123456789. */
function privateText(text: string, updateId = 1) {
  const user = { id: 123456789, is_bot: false, first_name: 'Ivan' };
  return { update_id: updateId, message: { message_id: 1, from: user, chat: { id: 123456789, type: 'private', first_name: 'Ivan' }, date: 1750000000, text } };
}

describe('telegram: verify', () => {
  it('accepts the secret token header', () => {
    expect(() => adapter.verify(signed(fixture('telegram-start.json')), ch)).not.toThrow();
  });

  it('refuses a wrong, missing or empty token', () => {
    const raw = fixture('telegram-start.json');
    for (const headers of [{ 'x-telegram-bot-api-secret-token': 'guess' }, {}, { 'x-telegram-bot-api-secret-token': '' }]) {
      expect(() => adapter.verify(request(raw, headers), ch)).toThrow(WebhookAuthError);
    }
    expect(() => adapter.verify(request(raw, { 'x-telegram-bot-api-secret-token': '' }), { ...ch, secret: '' })).toThrow(WebhookAuthError);
  });
});

describe('telegram: parse', () => {
  it('reads a private /start with its parameter', () => {
    expect(parseOne(fixture('telegram-start.json'))).toEqual({
      providerMessageId: '900000001',
      kind: 'message',
      messenger: 'telegram',
      timestamp: new Date(1750000000 * 1000),
      from: { id: '123456789', phone: null, name: 'Ivan Petrov', username: 'ivanp' },
      chatId: '123456789',
      text: '/start K7M2XQ9P',
      startParam: 'K7M2XQ9P',
      referral: null,
      raw: fixtureJson('telegram-start.json'),
    });
  });

  it('reads /start@ourbot <param>, but not a /start addressed to another bot, nor a bare /start', () => {
    expect(parseOne(privateText('/start@Chatmark_Bot K7M2XQ9P')).startParam).toBe('K7M2XQ9P');
    expect(parseOne(privateText('/start@other_bot K7M2XQ9P')).startParam).toBeNull();
    expect(parseOne(privateText('/start')).startParam).toBeNull();
    expect(parseOne(privateText('please /start K7M2XQ9P')).startParam).toBeNull();
    expect(parseOne(privateText('/starting K7M2XQ9P')).startParam).toBeNull();
  });

  it('keeps the text exactly as sent', () => {
    const text = '  Здравствуйте!\nНомер обращения: K7M2XQ9P  ';
    expect(parseOne(privateText(text)).text).toBe(text);
  });

  it('reads a business message from the customer as a message', () => {
    const message = parseOne(fixture('telegram-business-customer.json'));
    expect(message).toMatchObject({
      kind: 'message',
      from: { id: '777000222', name: 'Anna', username: 'anna_k', phone: null },
      chatId: '777000222',
      text: 'Здравствуйте! Номер обращения: K7M2XQ9P',
    });
  });

  it("reads the business owner's own message in a customer's chat as an echo", () => {
    const message = parseOne(fixture('telegram-business-owner.json'));
    expect(message.kind).toBe('echo');
    expect(message.from?.id).toBe('555000111');
    expect(message.chatId).toBe('777000222');
  });

  it('reads a message sent by a bot on behalf of the business as an echo', () => {
    const update = fixtureJson('telegram-business-customer.json');
    update.business_message.sender_business_bot = { id: 999, is_bot: true, first_name: 'ChatmarkBot', username: 'chatmark_bot' };
    expect(parseOne(update).kind).toBe('echo');
  });

  it('reads group, supergroup and channel messages as group', () => {
    const group = parseOne(fixture('telegram-group.json'));
    expect(group).toMatchObject({ kind: 'group', chatId: '-1001234567890', from: { id: '777000222' }, text: 'Who has tried the spring bouquet?' });
    const basic = privateText('/start@chatmark_bot K7M2XQ9P');
    basic.message.chat = { id: -4001, type: 'group', first_name: 'x' };
    expect(parseOne(basic).kind).toBe('group');
    const post = { update_id: 9, channel_post: { message_id: 3, sender_chat: { id: -1009, type: 'channel', title: 'News' }, chat: { id: -1009, type: 'channel', title: 'News' }, date: 1750000000, text: 'Spring collection is out' } };
    expect(parseOne(post)).toMatchObject({ kind: 'group', from: null, chatId: '-1009', text: 'Spring collection is out' });
  });

  it('reads chat_member as member, about the member who joined', () => {
    expect(parseOne(fixture('telegram-chat-member.json'))).toMatchObject({
      providerMessageId: '900000005',
      kind: 'member',
      timestamp: new Date(1750000300 * 1000),
      from: { id: '777000222', username: 'anna_k' },
      chatId: '-1001234567890',
      text: null,
    });
  });

  it('reads my_chat_member and chat_join_request as member', () => {
    const user = { id: 42, is_bot: false, first_name: 'Bo' };
    const chat = { id: -100777, type: 'supergroup', title: 'G' };
    const my = { update_id: 10, my_chat_member: { chat: { id: 42, type: 'private', first_name: 'Bo' }, from: user, date: 1, old_chat_member: { status: 'member', user: { id: 999, is_bot: true, first_name: 'B' } }, new_chat_member: { status: 'kicked', user: { id: 999, is_bot: true, first_name: 'B' }, until_date: 0 } } };
    const join = { update_id: 11, chat_join_request: { chat, from: user, user_chat_id: 42, date: 2, invite_link: { invite_link: 'https://t.me/+x', creates_join_request: true } } };
    expect(parseOne(my)).toMatchObject({ kind: 'member', from: { id: '42' }, chatId: '42' });
    expect(parseOne(join)).toMatchObject({ kind: 'member', from: { id: '42' }, chatId: '-100777' });
  });

  it('reads reactions as reaction, anonymous counts without a sender', () => {
    expect(parseOne(fixture('telegram-reaction.json'))).toMatchObject({ kind: 'reaction', from: { id: '777000222' }, chatId: '-1001234567890' });
    const count = { update_id: 12, message_reaction_count: { chat: { id: -1001, type: 'channel', title: 'C' }, message_id: 5, date: 3, reactions: [{ type: { type: 'emoji', emoji: '🔥' }, total_count: 4 }] } };
    expect(parseOne(count)).toMatchObject({ kind: 'reaction', from: null, chatId: '-1001' });
  });

  it('reads edits as other, timed by the edit', () => {
    expect(parseOne(fixture('telegram-edited.json'))).toMatchObject({ kind: 'other', timestamp: new Date(1750000050 * 1000), text: '/start K7M2XQ9P please' });
    const business = fixtureJson('telegram-business-customer.json');
    expect(parseOne({ update_id: 13, edited_business_message: business.business_message }).kind).toBe('other');
  });

  it('reads any other update as other, never as an error', () => {
    const user = { id: 42, is_bot: false, first_name: 'Bo' };
    expect(parseOne({ update_id: 14, callback_query: { id: 'q', from: user, chat_instance: 'c', data: 'x' } })).toMatchObject({ kind: 'other', from: { id: '42' } });
    expect(parseOne({ update_id: 15, business_connection: { id: 'bc', user, user_chat_id: 42, date: 1, is_enabled: true } })).toMatchObject({ kind: 'other' });
    expect(parseOne({ update_id: 16, some_future_update: { anything: true } })).toMatchObject({ kind: 'other', from: null });
    expect(parseOne({ update_id: 17 })).toMatchObject({ kind: 'other', providerMessageId: '17' });
    // Field names come from the payload: names of Object.prototype members are just unknown fields.
    expect(parseOne({ update_id: 18, constructor: { from: { id: 1 } } })).toMatchObject({ kind: 'other' });
    expect(parseOne(bytes('{"update_id":19,"__proto__":{"chat":{"id":1,"type":"private"}}}'))).toMatchObject({ kind: 'other' });
  });

  it('takes the phone only from a contact the sender shared of themselves', () => {
    const own = privateText('', 18);
    Object.assign(own.message, { text: undefined, contact: { phone_number: '+7 916 123-45-67', first_name: 'Ivan', user_id: 123456789 } });
    expect(parseOne(own).from?.phone).toBe('79161234567');
    const other = privateText('', 19);
    Object.assign(other.message, { text: undefined, contact: { phone_number: '+7 916 000-00-00', first_name: 'Friend', user_id: 55 } });
    expect(parseOne(other).from?.phone).toBeNull();
  });

  it('refuses malformed updates with WebhookParseError', () => {
    const noChat = privateText('hi');
    const { chat: _chat, ...withoutChat } = noChat.message;
    const cases = [bytes('{'), bytes('"text"'), bytes({}), bytes({ update_id: '1', message: {} }), bytes({ update_id: 1.5 }), bytes({ update_id: 1, message: withoutChat })];
    for (const raw of cases) expect(() => adapter.parse(signed(raw), ch), raw.toString()).toThrow(WebhookParseError);
  });
});
