import { WebhookParseError, type ProviderAdapter } from '../types.ts';
import {
  inbound,
  parseJsonObject,
  reqObject,
  reqString,
  sender,
  startParamOf,
  timestampOf,
  verifyBodyHmac,
  type Json,
} from './common.ts';

// Chatmark's own JSON (CONTRACT §3), for bridges we do not have an adapter for and for the demo:
// `{ id, from: { id, phone?, name?, username? }, text, timestamp? }`. Being our own format, it is
// read strictly: a field of the wrong type is an error, not something to guess around.

export const generic: ProviderAdapter = {
  verify(req, channel) {
    verifyBodyHmac(req, channel, { header: 'x-chatmark-signature', prefix: 'sha256=', algorithm: 'sha256' });
  },

  parse(req, channel) {
    const body = parseJsonObject(req.rawBody);
    const from = reqObject(body, 'from', 'body');
    const text = body['text'];
    if (typeof text !== 'string') throw new WebhookParseError('body.text must be a string');
    const timestamp = body['timestamp'];
    if (timestamp !== undefined && timestamp !== null && typeof timestamp !== 'number' && typeof timestamp !== 'string') {
      throw new WebhookParseError('body.timestamp must be Unix seconds or an ISO 8601 string');
    }
    return [
      inbound({
        providerMessageId: reqString(body, 'id', 'body'),
        kind: 'message',
        messenger: channel.messenger,
        timestamp: timestampOf(timestamp),
        from: sender(reqString(from, 'id', 'from'), {
          phone: optionalString(from, 'phone'),
          name: optionalString(from, 'name'),
          username: optionalString(from, 'username'),
        }),
        text,
        // A bridge relaying a Telegram bot's chats passes `/start <code>` through as text.
        startParam: channel.messenger === 'telegram' ? startParamOf(text, channel.address) : null,
        raw: body,
      }),
    ];
  },
};

function optionalString(obj: Json, key: string): string | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new WebhookParseError(`from.${key} must be a string`);
  return value;
}
