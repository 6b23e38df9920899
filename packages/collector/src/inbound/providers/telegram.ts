import { WebhookParseError, type InboundMessage, type ProviderAdapter } from '../types.ts';
import {
  inbound,
  isObject,
  optObject,
  optString,
  parseJsonObject,
  sender,
  startParamOf,
  timestampOf,
  verifySecretHeader,
  type Json,
  type Kind,
  type Sender,
} from './common.ts';

// Telegram Bot API updates: a bot's private chats (`/start <code>`), a connected business
// account's chats (`business_message`), and the groups and channels the bot is in. Every update
// is accepted: what is not an inquiry is kept with its kind for the community analytics.

// Maps, not object literals: update field names come from the payload ("constructor" included).
const MESSAGE_FIELDS = new Map<string, 'private' | 'business' | Kind>([
  ['message', 'private'],
  ['business_message', 'business'],
  ['channel_post', 'group'],
  // An edit is not a new inquiry; the first version already counted.
  ['edited_message', 'other'],
  ['edited_business_message', 'other'],
  ['edited_channel_post', 'other'],
]);

const EVENT_KINDS = new Map<string, Kind>([
  ['chat_member', 'member'],
  ['my_chat_member', 'member'],
  ['chat_join_request', 'member'],
  ['message_reaction', 'reaction'],
  ['message_reaction_count', 'reaction'],
]);

export const telegram: ProviderAdapter = {
  verify(req, channel) {
    verifySecretHeader(req, channel, 'x-telegram-bot-api-secret-token');
  },

  parse(req, channel) {
    const update = parseJsonObject(req.rawBody);
    const updateId = update['update_id'];
    if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) throw new WebhookParseError('update_id must be an integer');
    // update_id is the key: a message's own id is unique per chat only, and edits reuse it.
    const base = { providerMessageId: String(updateId), messenger: 'telegram' as const, raw: update };
    // An update carries at most one optional field besides update_id.
    const field = Object.keys(update).find((key) => key !== 'update_id' && isObject(update[key]));
    if (field === undefined) return [inbound({ ...base, kind: 'other' })];
    const inner = update[field] as Json;

    const role = MESSAGE_FIELDS.get(field);
    if (role !== undefined) return [inbound({ ...base, ...messageFields(inner, field, role, channel.address) })];

    // Whom the event is about: the member who joined or left (not the admin who added them), the
    // user who reacted (absent when anonymous), else whoever the update says it is from.
    const subject = field === 'chat_member' ? optObject(inner, 'new_chat_member')?.['user'] : field === 'message_reaction' ? inner['user'] : inner['from'];
    return [
      inbound({
        ...base,
        kind: EVENT_KINDS.get(field) ?? 'other',
        timestamp: timestampOf(inner['date']),
        from: userOf(subject, null),
        chatId: chatIdOf(optObject(inner, 'chat') ?? optObject(optObject(inner, 'message'), 'chat')),
      }),
    ];
  },
};

function messageFields(message: Json, field: string, role: 'private' | 'business' | Kind, botUsername: string): Partial<InboundMessage> & { kind: Kind } {
  const chat = optObject(message, 'chat');
  const chatId = chatIdOf(chat);
  const chatType = optString(chat, 'type');
  if (chatId === null || chatType === null) throw new WebhookParseError(`${field}.chat must have an id and a type`);
  const text = optString(message, 'text');
  return {
    kind: kindOf(role, chatType, message, chatId),
    timestamp: timestampOf(message['edit_date'] ?? message['date']),
    from: userOf(message['from'], optObject(message, 'contact')),
    chatId,
    text: text ?? optString(message, 'caption'),
    startParam: startParamOf(text, botUsername),
  };
}

function kindOf(role: 'private' | 'business' | Kind, chatType: string, message: Json, chatId: string): Kind {
  if (role !== 'private' && role !== 'business') return role;
  if (chatType !== 'private') return 'group';
  if (role === 'private') return 'message';
  // A business account's own outgoing messages must not open inquiries. One update does not say
  // who the owner is (that is in business_connection), but it does not need to: in a private
  // chat, chat.id is the other party's user id, so a message whose sender is not that party was
  // written on the business side — by the owner, or by a bot on their behalf (sender_business_bot).
  const fromId = optObject(message, 'from')?.['id'];
  const byBusiness = message['sender_business_bot'] !== undefined || (fromId !== undefined && String(fromId) !== chatId);
  return byBusiness ? 'echo' : 'message';
}

/** A Telegram User as a sender; the phone only from a contact the user shared of themselves. */
function userOf(user: unknown, contact: Json | null): Sender | null {
  if (!isObject(user)) return null;
  const id = user['id'];
  if (typeof id !== 'number' && typeof id !== 'string') return null;
  const name = [optString(user, 'first_name'), optString(user, 'last_name')].filter(Boolean).join(' ');
  const ownContact = contact !== null && contact['user_id'] !== undefined && String(contact['user_id']) === String(id);
  return sender(String(id), {
    name,
    username: optString(user, 'username'),
    phone: ownContact ? optString(contact, 'phone_number') : null,
  });
}

function chatIdOf(chat: Json | null): string | null {
  const id = chat?.['id'];
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}
