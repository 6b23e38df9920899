import type { Messenger, Provider } from '../db/schema.ts';

/**
 * One inbound update from a messaging platform, normalized. Adapters (one file per provider)
 * turn verified raw webhooks into these; they know nothing of the database.
 */
export interface InboundMessage {
  /** the platform's id of this message/update: the idempotency key within the channel */
  providerMessageId: string;
  /**
   * message: a customer's message to the business (can open or continue an inquiry);
   * echo: the business's own outgoing message; group: a message in a group or channel;
   * member: someone joined/left (Telegram chat_member); reaction; other: anything else worth keeping.
   */
  kind: 'message' | 'echo' | 'group' | 'member' | 'reaction' | 'other';
  messenger: Messenger;
  /** when the platform says the message was sent (for ordering out-of-order deliveries) */
  timestamp: Date;
  /** the sender; `id` is the stable key: WhatsApp business-scoped user id, else phone digits; Telegram user id; gateway LIDs as ids, never as phones */
  from: { id: string; phone: string | null; name: string | null; username: string | null } | null;
  /** the chat the message belongs to (Telegram chat id, WhatsApp chat id of a gateway), when the platform has one */
  chatId: string | null;
  text: string | null;
  /** Telegram: the parameter of `/start <param>` */
  startParam: string | null;
  /** WhatsApp click-to-WhatsApp ad referral */
  referral: AdReferral | null;
  /** the part of the payload this message came from, kept as it was */
  raw: unknown;
}

export interface AdReferral {
  source_id: string | null;
  source_url: string | null;
  source_type: string | null;
  headline: string | null;
  body: string | null;
  ctwa_clid: string | null;
}

/** What an adapter is given: the exact bytes and headers, plus what it needs to check them. */
export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** the query string parameters */
  query: Record<string, string | undefined>;
  /** the public URL the platform called, as it called it (Twilio signs it): PUBLIC_URL + path + query */
  publicUrl: string;
}

export interface ChannelSecrets {
  id: string;
  provider: Provider;
  messenger: Messenger;
  /** the channel's number digits or Telegram username (lower case) */
  address: string;
  secret: string;
  verifyToken: string | null;
}

export class WebhookAuthError extends Error {}
export class WebhookParseError extends Error {}

export interface ProviderAdapter {
  /** throws WebhookAuthError when the request is not from the platform (bad or missing signature/token) */
  verify(req: WebhookRequest, channel: ChannelSecrets): void;
  /** throws WebhookParseError on a malformed body; returns [] for updates that carry no message (statuses, pings) */
  parse(req: WebhookRequest, channel: ChannelSecrets): InboundMessage[];
}
