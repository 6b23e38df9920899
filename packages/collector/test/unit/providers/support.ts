import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Provider } from '../../../src/db/schema.ts';
import type { ChannelSecrets, WebhookRequest } from '../../../src/inbound/types.ts';

// Signatures here are computed with node:crypto directly, not with the adapters' helpers, so that
// a test fails when an adapter signs the wrong bytes rather than agreeing with itself.

export const SECRET = 'test-secret-0123456789';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/webhooks/${name}`, import.meta.url));
}

// Fixtures are loosely typed on purpose: tests reshape them into malformed variants.
export function fixtureJson(name: string): any {
  return JSON.parse(fixture(name).toString('utf8'));
}

export function bytes(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

export function channel(provider: Provider, overrides: Partial<ChannelSecrets> = {}): ChannelSecrets {
  return {
    id: `ch_${provider}`,
    provider,
    messenger: provider === 'telegram' ? 'telegram' : 'whatsapp',
    address: provider === 'telegram' ? 'chatmark_bot' : '15550783881',
    secret: SECRET,
    verifyToken: null,
    ...overrides,
  };
}

export function request(
  rawBody: Buffer,
  headers: WebhookRequest['headers'] = {},
  query: WebhookRequest['query'] = {},
  publicUrl = 'https://chatmark.example/v1/webhooks/test/ch_test',
): WebhookRequest {
  return { rawBody, headers, query, publicUrl };
}

export function hmacHex(algorithm: 'sha256' | 'sha512', body: Buffer, key = SECRET): string {
  return createHmac(algorithm, key).update(body).digest('hex');
}
