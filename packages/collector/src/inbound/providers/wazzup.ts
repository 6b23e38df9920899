import type { Messenger } from '../../db/schema.ts';
import type { InboundMessage, ProviderAdapter } from '../types.ts';
import {
  inbound,
  optObject,
  optObjectArray,
  optString,
  parseJsonObject,
  phoneDigits,
  reqString,
  sender,
  timestampOf,
  verifyBearerOrTokenParam,
  type Json,
} from './common.ts';

// Wazzup24: `{ messages: […] }` and/or `{ statuses: […] }` in one POST, `{ test: true }` when the
// webhook is set up. Only messages are read; statuses, contact/deal creation and channel updates are [].

/** The chat types Chatmark tracks; Instagram, VK, Avito, Viber… chats are passed over. */
const CHAT_TYPES = new Map<string, { messenger: Messenger; group: boolean }>([
  ['whatsapp', { messenger: 'whatsapp', group: false }],
  ['whatsgroup', { messenger: 'whatsapp', group: true }],
  ['telegram', { messenger: 'telegram', group: false }],
  ['telegroup', { messenger: 'telegram', group: true }],
]);

export const wazzup: ProviderAdapter = {
  verify(req, channel) {
    verifyBearerOrTokenParam(req, channel);
  },

  parse(req) {
    const body = parseJsonObject(req.rawBody);
    if (body['test'] === true) return [];
    return optObjectArray(body, 'messages', 'body').flatMap((message, i) => toInbound(message, `messages[${i}]`));
  },
};

function toInbound(message: Json, where: string): InboundMessage[] {
  const id = reqString(message, 'messageId', where);
  const chatId = reqString(message, 'chatId', where);
  const chat = CHAT_TYPES.get(reqString(message, 'chatType', where));
  if (chat === undefined) return [];
  const own = message['isEcho'] === true;
  return [
    inbound({
      providerMessageId: id,
      kind: own ? 'echo' : chat.group ? 'group' : 'message',
      messenger: chat.messenger,
      timestamp: timestampOf(message['dateTime']),
      // In a private chat the contact is the customer, who is the sender unless the message is
      // our own (whose sender Wazzup names only as a CRM user). A group's contact is the group.
      from: own || chat.group ? null : contactOf(chat.messenger, chatId, optObject(message, 'contact')),
      chatId,
      text: optString(message, 'text'),
      raw: message,
    }),
  ];
}

/** WhatsApp chats are the customer's number; a Telegram chatId is Wazzup's own opaque id. */
function contactOf(messenger: Messenger, chatId: string, contact: Json | null): InboundMessage['from'] {
  const fields = { name: optString(contact, 'name'), username: optString(contact, 'username') };
  if (messenger === 'telegram') return sender(chatId, { ...fields, phone: optString(contact, 'phone') });
  const phone = phoneDigits(chatId);
  return sender(phone ?? chatId, { ...fields, phone });
}
