import { createHmac } from 'node:crypto';
import { safeEqual } from '../../admin/tokens.ts';
import {
  WebhookAuthError,
  WebhookParseError,
  type AdReferral,
  type ChannelSecrets,
  type InboundMessage,
  type WebhookRequest,
} from '../types.ts';

// What every adapter shares: reading headers and JSON defensively, checking secrets in constant
// time, and turning WhatsApp addresses into ids and phones. Pure: no I/O, no clock but `new Date()`
// for payloads that carry no time.

export type Json = Record<string, unknown>;
export type Kind = InboundMessage['kind'];
export type Sender = NonNullable<InboundMessage['from']>;

// ---------------------------------------------------------------------------------------------
// Authenticity

/** A header's value; names are matched without case because not every caller lowercases them. */
export function header(req: WebhookRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export { safeEqual } from '../../admin/tokens.ts';

export function hmac(algorithm: 'sha1' | 'sha256' | 'sha512', key: string, data: Buffer | string, encoding: 'hex' | 'base64'): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

/**
 * The channel's secret, refused when empty: an HMAC keyed with '' or a token equal to '' is
 * something anyone can produce, so such a channel must not accept anything.
 */
export function channelSecret(channel: ChannelSecrets): string {
  if (channel.secret === '') throw new WebhookAuthError('the channel has no secret configured');
  return channel.secret;
}

/** `<header>: <prefix><hex HMAC of the exact raw body>`, as Meta, WAHA and the generic channel sign. */
export function verifyBodyHmac(
  req: WebhookRequest,
  channel: ChannelSecrets,
  scheme: { header: string; prefix: string; algorithm: 'sha256' | 'sha512' },
): void {
  const secret = channelSecret(channel);
  const given = header(req, scheme.header);
  if (given === undefined || given === '') throw new WebhookAuthError(`missing ${scheme.header} header`);
  if (!given.startsWith(scheme.prefix)) throw new WebhookAuthError(`${scheme.header} must look like ${scheme.prefix}<hex>`);
  // Hex is case-insensitive; Node prints lower case.
  const hex = given.slice(scheme.prefix.length).trim().toLowerCase();
  if (!safeEqual(hex, hmac(scheme.algorithm, secret, req.rawBody, 'hex'))) {
    throw new WebhookAuthError(`${scheme.header} does not match the body`);
  }
}

/** A shared-secret header (Telegram's secret token). */
export function verifySecretHeader(req: WebhookRequest, channel: ChannelSecrets, name: string): void {
  const secret = channelSecret(channel);
  const given = header(req, name);
  if (given === undefined || given === '') throw new WebhookAuthError(`missing ${name} header`);
  if (!safeEqual(given, secret)) throw new WebhookAuthError(`${name} does not match the channel secret`);
}

/**
 * `?token=<secret>`: the fallback CONTRACT §3 gives gateways without a scheme of their own.
 * `missing` names what was expected, for the error.
 */
export function verifyTokenParam(req: WebhookRequest, channel: ChannelSecrets, missing = 'token parameter'): void {
  const secret = channelSecret(channel);
  const token = req.query['token'];
  if (token === undefined || token === '') throw new WebhookAuthError(`missing ${missing}`);
  if (!safeEqual(token, secret)) throw new WebhookAuthError('token parameter does not match the channel secret');
}

/**
 * `Authorization: Bearer <secret>` (Wazzup sends its crmKey so; Green API sends the instance's
 * webhookUrlToken in Authorization) or a `token` query parameter. The bare value without
 * "Bearer " is accepted too: it proves the same secret, and the gateways' docs do not agree on
 * the prefix.
 */
export function verifyBearerOrTokenParam(req: WebhookRequest, channel: ChannelSecrets): void {
  const secret = channelSecret(channel);
  const authorization = header(req, 'authorization')?.trim();
  if (!authorization) return verifyTokenParam(req, channel, 'Authorization header or token parameter');
  if (!safeEqual(authorization.replace(/^bearer\s+/i, ''), secret)) {
    throw new WebhookAuthError('Authorization does not match the channel secret');
  }
}

// ---------------------------------------------------------------------------------------------
// Reading payloads

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(raw: Buffer): Json {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookParseError('the body is not JSON');
  }
  if (!isObject(value)) throw new WebhookParseError('the body is not a JSON object');
  return value;
}

/** A field of the payload itself, never one inherited from Object.prototype (keys can come from the payload). */
export function field(obj: Json | null | undefined, key: string): unknown {
  return obj != null && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** An optional string field; any other type reads as absent. */
export function optString(obj: Json | null | undefined, key: string): string | null {
  const value = field(obj, key);
  return typeof value === 'string' ? value : null;
}

/** An optional object field; any other type reads as absent. */
export function optObject(obj: Json | null | undefined, key: string): Json | null {
  const value = field(obj, key);
  return isObject(value) ? value : null;
}

/** A required non-empty string; `where` names the place in the payload for the error message. */
export function reqString(obj: Json, key: string, where: string): string {
  const value = field(obj, key);
  if (typeof value !== 'string' || value === '') throw new WebhookParseError(`${where}.${key} must be a non-empty string`);
  return value;
}

export function reqObject(obj: Json, key: string, where: string): Json {
  const value = field(obj, key);
  if (!isObject(value)) throw new WebhookParseError(`${where}.${key} must be an object`);
  return value;
}

/** An array that may be absent, but must be an array of objects when present. */
export function optObjectArray(obj: Json, key: string, where: string): Json[] {
  const value = field(obj, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) throw new WebhookParseError(`${where}.${key} must be an array of objects`);
  return value;
}

/** A timestamp in Unix seconds (number or digit string) or ISO 8601; the present moment when absent or unreadable. */
export function timestampOf(value: unknown): Date {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) ms = Number(value) * 1000;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) ms = Date.parse(value);
  // Beyond year 9999 is most likely milliseconds sent as seconds: unreadable, not a date to trust.
  return Number.isFinite(ms) && ms > 0 && ms < 253402300800000 ? new Date(ms) : new Date();
}

// ---------------------------------------------------------------------------------------------
// Senders

/** Digits only ("+7 (999) 123-45-67" → "79991234567"); null when nothing is left. */
export function phoneDigits(value: string | null | undefined): string | null {
  const digits = value?.replace(/\D/g, '') ?? '';
  return digits === '' ? null : digits;
}

export function sameNumber(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = phoneDigits(a);
  return x !== null && x === phoneDigits(b);
}

/**
 * A WhatsApp address as unofficial gateways write it.
 * - `phone`: `<digits>@c.us` / `<digits>@s.whatsapp.net` (a device suffix `:12` dropped): id = phone digits.
 * - `opaque`: a Linked ID `<n>@lid`, or any server we do not know: the whole address is the id so
 *   that it can never be mistaken for, or collide with, a phone number; no phone.
 * - `group`: `…@g.us`; `broadcast`: Status posts (`status@broadcast`) and channels (`@newsletter`).
 */
export interface WhatsAppAddress {
  kind: 'phone' | 'opaque' | 'group' | 'broadcast';
  id: string;
  phone: string | null;
}

export function whatsappAddress(jid: string): WhatsAppAddress {
  const at = jid.lastIndexOf('@');
  const server = at < 0 ? '' : jid.slice(at + 1).toLowerCase();
  const user = (at < 0 ? jid : jid.slice(0, at)).replace(/:\d+$/, '');
  if (server === 'g.us') return { kind: 'group', id: jid, phone: null };
  if (server === 'broadcast' || server === 'newsletter') return { kind: 'broadcast', id: jid, phone: null };
  if ((server === 'c.us' || server === 's.whatsapp.net' || server === '') && /^\+?\d+$/.test(user)) {
    return { kind: 'phone', id: user.replace('+', ''), phone: user.replace('+', '') };
  }
  return { kind: 'opaque', id: server === '' ? user : `${user}@${server}`, phone: null };
}

/** How a gateway's WhatsApp message counts: own messages first, then where it was written. */
export function gatewayKind(own: boolean, chat: WhatsAppAddress): Kind {
  if (own) return 'echo';
  if (chat.kind === 'group') return 'group';
  if (chat.kind === 'broadcast') return 'other';
  return 'message';
}

export function sender(
  id: string,
  fields: { phone?: string | null; name?: string | null; username?: string | null } = {},
): Sender {
  return {
    id,
    phone: phoneDigits(fields.phone),
    name: fields.name || null,
    username: fields.username || null,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages

/** An InboundMessage with the fields a payload did not give left empty (time: now). */
export function inbound(
  fields: Pick<InboundMessage, 'providerMessageId' | 'kind' | 'messenger' | 'raw'> & Partial<InboundMessage>,
): InboundMessage {
  return {
    timestamp: new Date(),
    from: null,
    chatId: null,
    text: null,
    startParam: null,
    referral: null,
    ...fields,
  };
}

/** The ad referral from whatever field names a platform uses; null when it carries none of them. */
export function adReferral(fields: Record<keyof AdReferral, unknown>): AdReferral | null {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const referral: AdReferral = {
    source_id: text(fields.source_id),
    source_url: text(fields.source_url),
    source_type: text(fields.source_type),
    headline: text(fields.headline),
    body: text(fields.body),
    ctwa_clid: text(fields.ctwa_clid),
  };
  return Object.values(referral).some((v) => v !== null) ? referral : null;
}

/**
 * The parameter of a Telegram `/start <param>` (the deep link `t.me/<bot>?start=<param>`), also
 * written `/start@<bot> <param>`. A command addressed to another bot is not ours.
 */
export function startParamOf(text: string | null, botUsername: string | null): string | null {
  const match = text?.match(/^\/start(?:@([A-Za-z0-9_]+))?[ \t\n]+(\S+)/);
  if (!match) return null;
  const addressedTo = match[1]?.toLowerCase();
  const bot = botUsername?.replace(/^@/, '').toLowerCase();
  if (addressedTo && bot && addressedTo !== bot) return null;
  return match[2] ?? null;
}
