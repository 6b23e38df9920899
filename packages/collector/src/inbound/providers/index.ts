import type { Provider } from '../../db/schema.ts';
import type { ProviderAdapter } from '../types.ts';
import { generic } from './generic.ts';
import { greenApi } from './green-api.ts';
import { meta } from './meta.ts';
import { telegram } from './telegram.ts';
import { twilio } from './twilio.ts';
import { waha } from './waha.ts';
import { wazzup } from './wazzup.ts';

export { metaHandshake } from './meta.ts';

/** One adapter per provider; the route picks by the channel's provider, never by the payload. */
export const ADAPTERS: Record<Provider, ProviderAdapter> = {
  meta,
  twilio,
  telegram,
  'green-api': greenApi,
  waha,
  wazzup,
  generic,
};
