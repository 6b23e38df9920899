import type { TrafficType } from '@chatmark/shared';
import type { MatchMethod, Messenger, Provider } from '../../db/schema.ts';
import type { Status } from '../../query/journal-filters.ts';
import { addDays, todayIn } from './format.ts';

/** The journal's filters (README "HTTP API"), as the dashboard holds them: '' is no filter. */
export interface Filters {
  from: string;
  to: string;
  channel: string;
  provider: string;
  traffic_type: string;
  source: string;
  medium: string;
  campaign: string;
  page: string;
  type: string;
  match: string;
  tag: string;
  status: string;
  q: string;
}

// The API's enumerations; checked against the server's types, so a new value is not missed silently.
export const CHANNELS = ['whatsapp', 'telegram'] as const satisfies readonly Messenger[];
export const PROVIDERS = ['meta', 'twilio', 'telegram', 'generic', 'green-api', 'waha', 'wazzup'] as const satisfies readonly Provider[];
export const TRAFFIC = ['paid_search', 'organic_search', 'paid_social', 'organic_social', 'messenger', 'email', 'referral', 'display', 'affiliate', 'direct'] as const satisfies readonly TrafficType[];
export const MATCHES = ['start', 'code', 'ad_referral', 'probable', 'none'] as const satisfies readonly MatchMethod[];
export const STATUSES = ['new', 'in_progress', 'qualified', 'sale', 'junk'] as const satisfies readonly Status[];
export const TYPES = ['new', 'repeat'] as const;

export const PRESETS = [7, 30, 90, 365] as const;

/** The last `days` days in the site's time zone, today included. */
export function lastDays(timeZone: string, days: number): Pick<Filters, 'from' | 'to'> {
  const to = todayIn(timeZone);
  return { from: addDays(to, 1 - days), to };
}

export const emptyFilters = (timeZone: string): Filters => ({
  ...lastDays(timeZone, 30),
  channel: '',
  provider: '',
  traffic_type: '',
  source: '',
  medium: '',
  campaign: '',
  page: '',
  type: '',
  match: '',
  tag: '',
  status: '',
  q: '',
});

/** How many filters beyond the period are set. */
export const activeCount = (f: Filters) => Object.entries(f).filter(([k, v]) => k !== 'from' && k !== 'to' && v !== '').length;

/**
 * The site and the filters as the address's query (`?site=3&channel=telegram`), so that a view
 * can be bookmarked, shared and reloaded. Only what differs from the defaults goes in: a period
 * left at "the last 30 days" stays relative, so a bookmark opens on the days before it is opened.
 */
export function toQuery(siteId: number, f: Filters, timeZone: string): string {
  const defaults = emptyFilters(timeZone);
  const set = Object.entries(f).filter(([k, v]) => v !== defaults[k as keyof Filters]);
  return new URLSearchParams([['site', String(siteId)], ...set]).toString();
}

/** The filters an address's query names, over the defaults; other parameters are ignored. */
export function fromQuery(query: string, timeZone: string): Filters {
  const f = emptyFilters(timeZone);
  for (const [k, v] of new URLSearchParams(query)) if (Object.prototype.hasOwnProperty.call(f, k)) f[k as keyof Filters] = v;
  return f;
}
