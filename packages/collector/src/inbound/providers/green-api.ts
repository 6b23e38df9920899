import type { ProviderAdapter } from '../types.ts';
import {
  gatewayKind,
  inbound,
  optObject,
  optString,
  parseJsonObject,
  reqObject,
  reqString,
  sender,
  timestampOf,
  verifyBearerOrTokenParam,
  whatsappAddress,
  type Kind,
} from './common.ts';

// Green API (a linked-device WhatsApp gateway). One notification per POST, told apart by
// typeWebhook; only messages are read, the rest (delivery statuses, instance state, calls) is [].

/** typeWebhook → whether the message is the business's own (sent from the phone or through the API). */
const MESSAGE_WEBHOOKS = new Map([
  ['incomingMessageReceived', false],
  ['outgoingMessageReceived', true],
  ['outgoingAPIMessageReceived', true],
]);

export const greenApi: ProviderAdapter = {
  verify(req, channel) {
    verifyBearerOrTokenParam(req, channel);
  },

  parse(req) {
    const body = parseJsonObject(req.rawBody);
    const type = reqString(body, 'typeWebhook', 'body');
    const own = MESSAGE_WEBHOOKS.get(type);
    if (own === undefined) return [];
    const senderData = reqObject(body, 'senderData', 'body');
    const messageData = optObject(body, 'messageData');
    const chatId = reqString(senderData, 'chatId', 'senderData');
    const chat = whatsappAddress(chatId);
    // In a private chat the sender is the chat; a group names its member in `sender`.
    const from = whatsappAddress(optString(senderData, 'sender') || chat.id);
    let kind: Kind = gatewayKind(own, chat);
    if (kind === 'message' && optString(messageData, 'typeMessage') === 'reactionMessage') kind = 'reaction';
    return [
      inbound({
        providerMessageId: reqString(body, 'idMessage', 'body'),
        kind,
        messenger: 'whatsapp',
        timestamp: timestampOf(body['timestamp']),
        from: sender(from.id, { phone: from.phone, name: optString(senderData, 'senderName') || optString(senderData, 'senderContactName') }),
        chatId,
        // A plain text, a text with a link or a quote, or a file's caption.
        text:
          optString(optObject(messageData, 'textMessageData'), 'textMessage') ??
          optString(optObject(messageData, 'extendedTextMessageData'), 'text') ??
          optString(optObject(messageData, 'fileMessageData'), 'caption'),
        raw: body,
      }),
    ];
  },
};
