import type { ProviderAdapter } from '../types.ts';
import {
  gatewayKind,
  header,
  inbound,
  optObject,
  optString,
  parseJsonObject,
  reqObject,
  reqString,
  sender,
  timestampOf,
  verifyBodyHmac,
  verifyTokenParam,
  whatsappAddress,
} from './common.ts';

// WAHA (self-hosted WhatsApp HTTP API): `{ event, session, payload, … }`. Only `message` (incoming)
// and `message.any` (incoming and own) are read; acks, presence, session states are [].
// Both may be subscribed at once: the same payload.id then arrives twice and is stored once.

export const waha: ProviderAdapter = {
  // WAHA signs only when an HMAC key is configured on the webhook; without one, the URL's token.
  verify(req, channel) {
    if (header(req, 'x-webhook-hmac') === undefined) return verifyTokenParam(req, channel, 'X-Webhook-Hmac header or token parameter');
    verifyBodyHmac(req, channel, { header: 'x-webhook-hmac', prefix: '', algorithm: 'sha512' });
  },

  parse(req) {
    const body = parseJsonObject(req.rawBody);
    const event = reqString(body, 'event', 'body');
    if (event !== 'message' && event !== 'message.any') return [];
    const payload = reqObject(body, 'payload', 'body');
    const own = payload['fromMe'] === true;
    const fromJid = reqString(payload, 'from', 'payload');
    // For our own messages `from` is us and `to` the chat; in a group the member is `participant`.
    const chatJid = own ? optString(payload, 'to') || fromJid : fromJid;
    const chat = whatsappAddress(chatJid);
    const author = chat.kind === 'group' && !own ? optString(payload, 'participant') || optString(payload, 'author') : null;
    const from = whatsappAddress(author ?? fromJid);
    // The sender's name is engine-specific: notifyName (WEBJS), pushName (NOWEB, GOWS).
    const data = optObject(payload, '_data');
    return [
      inbound({
        providerMessageId: reqString(payload, 'id', 'payload'),
        kind: gatewayKind(own, chat),
        messenger: 'whatsapp',
        timestamp: timestampOf(payload['timestamp']),
        from: sender(from.id, { phone: from.phone, name: optString(data, 'notifyName') ?? optString(data, 'pushName') }),
        chatId: chatJid,
        text: optString(payload, 'body'),
        raw: body,
      }),
    ];
  },
};
