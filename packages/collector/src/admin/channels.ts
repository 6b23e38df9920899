import type { Kysely } from 'kysely';
import type { DB, Messenger, Provider } from '../db/schema.ts';
import { HttpError } from '../app/errors.ts';
import { findSite } from './sites.ts';
import { newChannelId, newSecret } from './tokens.ts';

export const PROVIDERS: readonly Provider[] = ['meta', 'twilio', 'telegram', 'generic', 'green-api', 'waha', 'wazzup'];
export const MESSENGERS: readonly Messenger[] = ['whatsapp', 'telegram'];

// Which platform can carry which messenger.
const CARRIES: Record<Provider, readonly Messenger[]> = {
  meta: ['whatsapp'],
  twilio: ['whatsapp'],
  telegram: ['telegram'],
  generic: ['whatsapp', 'telegram'],
  'green-api': ['whatsapp'],
  waha: ['whatsapp'],
  wazzup: ['whatsapp', 'telegram'],
};
// The platform issues these secrets (Meta's app secret, Twilio's auth token): we cannot make them up.
const SECRET_FROM_PLATFORM: ReadonlySet<Provider> = new Set(['meta', 'twilio']);
// These authenticate with a `token` query parameter unless their own header is configured.
const TOKEN_IN_URL: ReadonlySet<Provider> = new Set(['green-api', 'waha', 'wazzup']);

export interface ChannelInput {
  site: string;
  kind: string;
  provider: string;
  address: string;
  secret?: string | undefined;
  verifyToken?: string | undefined;
}

export interface CreatedChannel {
  id: string;
  webhook_url: string;
  secret: string;
  verify_token?: string;
}

export interface ChannelView {
  id: string;
  site_id: number;
  kind: Messenger;
  provider: Provider;
  address: string;
  webhook_url: string;
  created_at: string;
}

export const webhookUrl = (publicUrl: string, provider: Provider, id: string) => `${publicUrl}/v1/webhooks/${provider}/${id}`;

/** Digits of a WhatsApp number, or a Telegram username without @ in lower case. */
export function normalizeAddress(kind: Messenger, address: string): string | null {
  if (kind === 'whatsapp') {
    const digits = address.replace(/[\s()+.-]/g, '');
    return /^\d{8,15}$/.test(digits) ? digits : null;
  }
  const name = address.trim().replace(/^@/, '').replace(/^(https?:\/\/)?(t\.me|telegram\.me)\//i, '').toLowerCase();
  return /^[a-z][a-z0-9_]{3,31}$/.test(name) ? name : null;
}

export async function createChannel(db: Kysely<DB>, input: ChannelInput, publicUrl: string): Promise<CreatedChannel> {
  const kind = input.kind as Messenger;
  const provider = input.provider as Provider;
  if (!MESSENGERS.includes(kind)) throw new HttpError(400, 'bad_request', `kind must be ${MESSENGERS.join(' or ')}`);
  if (!PROVIDERS.includes(provider)) throw new HttpError(400, 'bad_request', `provider must be one of ${PROVIDERS.join(', ')}`);
  if (!CARRIES[provider].includes(kind)) throw new HttpError(400, 'bad_request', `${provider} does not carry ${kind}`);
  const address = normalizeAddress(kind, input.address);
  if (!address) {
    throw new HttpError(400, 'bad_request', kind === 'whatsapp' ? 'address must be a phone number in international format' : 'address must be a Telegram username (5-32 letters, digits or _)');
  }
  if (!input.secret && SECRET_FROM_PLATFORM.has(provider)) {
    throw new HttpError(400, 'bad_request', `--secret is required for ${provider}: it is ${provider === 'meta' ? "your Meta app's App Secret" : 'your Twilio Auth Token'}`);
  }
  if (input.secret !== undefined && (input.secret.length < 8 || input.secret.length > 256)) {
    throw new HttpError(400, 'bad_request', 'secret must be 8 to 256 characters');
  }
  if (provider === 'telegram' && input.secret !== undefined && !/^[A-Za-z0-9_-]+$/.test(input.secret)) {
    throw new HttpError(400, 'bad_request', 'a Telegram secret token may only hold A-Z, a-z, 0-9, _ and -');
  }
  const site = await findSite(db, input.site);
  if (!site) throw new HttpError(404, 'not_found', `site ${input.site} not found`);

  const id = newChannelId();
  const secret = input.secret ?? newSecret();
  const verifyToken = provider === 'meta' ? (input.verifyToken ?? newSecret()) : null;
  await db.insertInto('channels').values({ site_id: site.id, id, kind, provider, address, secret, verify_token: verifyToken }).execute();
  const url = webhookUrl(publicUrl, provider, id);
  return {
    id,
    webhook_url: TOKEN_IN_URL.has(provider) ? `${url}?token=${encodeURIComponent(secret)}` : url,
    secret,
    ...(verifyToken ? { verify_token: verifyToken } : {}),
  };
}

/** Channels without their secrets: those are shown once, at creation. */
export async function listChannels(db: Kysely<DB>, siteRef: string, publicUrl: string): Promise<ChannelView[]> {
  const site = await findSite(db, siteRef);
  if (!site) throw new HttpError(404, 'not_found', `site ${siteRef} not found`);
  const rows = await db
    .selectFrom('channels')
    .select(['id', 'site_id', 'kind', 'provider', 'address', 'created_at'])
    .where('site_id', '=', site.id)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ ...r, webhook_url: webhookUrl(publicUrl, r.provider, r.id), created_at: r.created_at.toISOString() }));
}
