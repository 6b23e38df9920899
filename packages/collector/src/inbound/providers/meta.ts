import {
  WebhookAuthError,
  WebhookParseError,
  type ChannelSecrets,
  type InboundMessage,
  type ProviderAdapter,
} from '../types.ts';
import {
  adReferral,
  inbound,
  isObject,
  optObject,
  optObjectArray,
  optString,
  parseJsonObject,
  phoneDigits,
  reqObject,
  reqString,
  safeEqual,
  sameNumber,
  sender,
  timestampOf,
  verifyBodyHmac,
  type Json,
  type Kind,
} from './common.ts';

// WhatsApp Cloud API (Meta), and 360dialog, which forwards Meta's payload unchanged.

/**
 * The GET subscription handshake: answer Meta's challenge only for our own verify token.
 * Every failure, a missing challenge included, is a WebhookAuthError: that is the one error the
 * handshake is agreed to throw, and a GET without a challenge was not sent by Meta anyway.
 */
export function metaHandshake(query: Record<string, string | undefined>, channel: ChannelSecrets): string {
  if (query['hub.mode'] !== 'subscribe') throw new WebhookAuthError('hub.mode must be subscribe');
  if (!channel.verifyToken) throw new WebhookAuthError('the channel has no verify token');
  const token = query['hub.verify_token'];
  if (!token || !safeEqual(token, channel.verifyToken)) throw new WebhookAuthError('hub.verify_token does not match the channel');
  const challenge = query['hub.challenge'];
  if (!challenge) throw new WebhookAuthError('missing hub.challenge');
  return challenge;
}

export const meta: ProviderAdapter = {
  // Only the SHA-256 header counts: the legacy `X-Hub-Signature: sha1=` alone is refused.
  verify(req, channel) {
    verifyBodyHmac(req, channel, { header: 'x-hub-signature-256', prefix: 'sha256=', algorithm: 'sha256' });
  },

  parse(req, channel) {
    const body = parseJsonObject(req.rawBody);
    if (!Array.isArray(body['entry'])) throw new WebhookParseError('body.entry must be an array');
    const out: InboundMessage[] = [];
    // Meta batches: every entry, every change, every message.
    optObjectArray(body, 'entry', 'body').forEach((entry, e) => {
      optObjectArray(entry, 'changes', `entry[${e}]`).forEach((change, c) => {
        const where = `entry[${e}].changes[${c}]`;
        // Other subscribed fields (account, template, quality updates) carry no customer message.
        const field = change['field'];
        if (field !== undefined && field !== 'messages') return;
        const value = reqObject(change, 'value', where);
        const contacts = optObjectArray(value, 'contacts', `${where}.value`);
        const businessNumber = optString(optObject(value, 'metadata'), 'display_phone_number');
        // value.statuses (sent/delivered/read/failed) are not read: they say nothing about who wrote first.
        optObjectArray(value, 'messages', `${where}.value`).forEach((message, m) => {
          out.push(toInbound(message, `${where}.value.messages[${m}]`, contacts, businessNumber, channel));
        });
      });
    });
    return out;
  },
};

function toInbound(message: Json, where: string, contacts: Json[], businessNumber: string | null, channel: ChannelSecrets): InboundMessage {
  const id = reqString(message, 'id', where);
  const from = optString(message, 'from');
  const fromUserId = optString(message, 'from_user_id');
  const contact = contactOf(contacts, fromUserId, from);
  // Business-scoped user id first: since mid-2026 a user with a username may come with no phone at all.
  const userId = fromUserId ?? optString(contact, 'user_id');
  const phone = from ?? optString(contact, 'wa_id');
  const senderId = userId ?? phoneDigits(phone);
  if (senderId === null) throw new WebhookParseError(`${where} names no sender (from, from_user_id or its contact)`);
  const profile = optObject(contact, 'profile');
  const referral = optObject(message, 'referral');
  return inbound({
    providerMessageId: id,
    kind: kindOf(message, phone, businessNumber, channel),
    messenger: 'whatsapp',
    timestamp: timestampOf(message['timestamp']),
    from: sender(senderId, { phone, name: optString(profile, 'name'), username: optString(profile, 'username') }),
    text: textOf(message),
    referral: adReferral({
      source_id: referral?.['source_id'],
      source_url: referral?.['source_url'],
      source_type: referral?.['source_type'],
      headline: referral?.['headline'],
      body: referral?.['body'],
      ctwa_clid: referral?.['ctwa_clid'],
    }),
    raw: message,
  });
}

/**
 * The contact entry of a message's sender: by business-scoped id, then by phone. With a single
 * entry that no id of the message contradicts, that entry is the sender's (Meta sends one
 * contact per sender), which is how a BSUID reaches a message that carries only a phone.
 */
function contactOf(contacts: Json[], userId: string | null, phone: string | null): Json | null {
  const byId = userId === null ? undefined : contacts.find((c) => optString(c, 'user_id') === userId);
  const byPhone = phone === null ? undefined : contacts.find((c) => sameNumber(optString(c, 'wa_id'), phone));
  if (byId ?? byPhone) return byId ?? byPhone ?? null;
  const only = contacts.length === 1 ? contacts[0] : undefined;
  if (!isObject(only)) return null;
  const otherId = userId !== null && optString(only, 'user_id') !== null;
  const otherPhone = phone !== null && optString(only, 'wa_id') !== null;
  return otherId || otherPhone ? null : only;
}

function kindOf(message: Json, phone: string | null, businessNumber: string | null, channel: ChannelSecrets): Kind {
  // Cloud API does not echo the business's own messages here; a message "from" our own number
  // can only be one of ours that came some other way, and must never open an inquiry.
  if (sameNumber(phone, businessNumber) || sameNumber(phone, channel.address)) return 'echo';
  const type = optString(message, 'type');
  if (type === 'reaction') return 'reaction';
  // "system": the customer changed number and the like, not something they wrote.
  if (type === 'system') return 'other';
  return 'message';
}

/**
 * What the customer wrote or chose: the text body, a quick-reply button, an interactive button or
 * list row, else the caption of a media message (the object named by `type`).
 */
function textOf(message: Json): string | null {
  const interactive = optObject(message, 'interactive');
  const type = optString(message, 'type');
  return (
    optString(optObject(message, 'text'), 'body') ??
    optString(optObject(message, 'button'), 'text') ??
    optString(optObject(interactive, 'button_reply'), 'title') ??
    optString(optObject(interactive, 'list_reply'), 'title') ??
    (type === null ? null : optString(optObject(message, type), 'caption'))
  );
}
