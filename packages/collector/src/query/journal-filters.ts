import { sql, type RawBuilder } from 'kysely';
import { TRAFFIC_TYPES } from '@chatmark/shared';
import type { MatchMethod } from '../db/schema.ts';
import { HttpError } from '../app/errors.ts';
import { MESSENGERS, PROVIDERS } from '../admin/channels.ts';

export const INQUIRY_TYPES = ['new', 'repeat'] as const;
export const MATCH_METHODS: readonly MatchMethod[] = ['start', 'code', 'ad_referral', 'probable', 'none'];
export const STATUSES = ['new', 'in_progress', 'qualified', 'sale', 'junk'] as const;
export type Status = (typeof STATUSES)[number];

/** A source, medium or campaign filter with this value asks for visits that have none. */
export const NONE = '(none)';

/**
 * The filters every read of inquiries takes (journal, CSV, reports), as querystring schema
 * properties: the validator refuses an unknown value before any query runs, and the OpenAPI
 * description documents them from here.
 */
export const filterProperties = {
  from: { type: 'string', maxLength: 40, description: "first day (YYYY-MM-DD, in the site's time zone) or instant (ISO 8601)" },
  to: { type: 'string', maxLength: 40, description: 'last day included (YYYY-MM-DD) or instant excluded (ISO 8601)' },
  channel: { type: 'string', enum: [...MESSENGERS], description: 'messenger of the inquiry (and of the chat clicks in reports)' },
  provider: { type: 'string', enum: [...PROVIDERS] },
  traffic_type: { type: 'string', enum: [...TRAFFIC_TYPES], description: "the visit's traffic type" },
  source: { type: 'string', minLength: 1, maxLength: 255, description: `the visit's source, exactly; ${NONE} for none` },
  medium: { type: 'string', minLength: 1, maxLength: 255, description: `the visit's medium, exactly; ${NONE} for none` },
  campaign: { type: 'string', minLength: 1, maxLength: 255, description: `the visit's campaign, exactly; ${NONE} for none` },
  page: { type: 'string', minLength: 1, maxLength: 2000, description: 'page the chat was opened from: a path prefix (/roses) or a URL prefix (https://shop.example.com/roses)' },
  type: { type: 'string', enum: [...INQUIRY_TYPES] },
  match: { type: 'string', enum: [...MATCH_METHODS], description: 'match method' },
  tag: { type: 'string', minLength: 1, maxLength: 50, description: 'inquiries carrying this tag' },
  status: { type: 'string', enum: [...STATUSES] },
  q: { type: 'string', minLength: 1, maxLength: 200, description: "case-insensitive search in the contact's name, phone, username and the first message" },
} as const;

export type FilterQuery = { [K in keyof typeof filterProperties]?: string };

export interface Filters {
  channel?: string;
  provider?: string;
  trafficType?: string;
  source?: string;
  medium?: string;
  campaign?: string;
  page?: { by: 'path' | 'url'; prefix: string };
  type?: string;
  match?: string;
  tag?: string;
  status?: string;
  q?: { text: string; digits: string | null };
}

/** What the schema cannot say: the shape of `page` and `q`. */
export function parseFilters(q: FilterQuery): Filters {
  const f: Filters = {};
  if (q.channel !== undefined) f.channel = q.channel;
  if (q.provider !== undefined) f.provider = q.provider;
  if (q.traffic_type !== undefined) f.trafficType = q.traffic_type;
  if (q.source !== undefined) f.source = q.source;
  if (q.medium !== undefined) f.medium = q.medium;
  if (q.campaign !== undefined) f.campaign = q.campaign;
  if (q.type !== undefined) f.type = q.type;
  if (q.match !== undefined) f.match = q.match;
  if (q.tag !== undefined) f.tag = q.tag.trim();
  if (q.status !== undefined) f.status = q.status;
  if (q.page !== undefined) {
    if (q.page.startsWith('/')) f.page = { by: 'path', prefix: q.page };
    else if (/^https?:\/\//i.test(q.page)) f.page = { by: 'url', prefix: q.page };
    else throw new HttpError(400, 'bad_request', `page must be a path starting with / or a URL starting with http:// or https://; got "${q.page}"`);
  }
  if (q.q !== undefined) {
    const text = q.q.trim();
    if (!text) throw new HttpError(400, 'bad_request', 'q must not be blank');
    // "+7 (916) 123-45" finds the phone 7916123…, which is stored as digits.
    const digits = /^[\d\s()+.-]+$/.test(text) && /\d{3}/.test(text.replace(/\D/g, '')) ? text.replace(/\D/g, '') : null;
    f.q = { text, digits };
  }
  return f;
}

/** LIKE treats % and _ as wildcards and \ as their escape; a searched text means itself. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');
export const prefixPattern = (s: string) => likeEscape(s) + '%';
const containsPattern = (s: string) => '%' + likeEscape(s) + '%';

const TRUE = sql<boolean>`true`;
export const and = (conds: RawBuilder<boolean>[]) => (conds.length ? sql<boolean>`(${sql.join(conds, sql` and `)})` : TRUE);

/**
 * Conditions on the visit's attribution columns under `alias`: sessions `s` (shared by
 * inquiries, sessions and clicks) or a report rollup whose rows all have a visit. `(none)` asks
 * for a visit without the value, not for inquiries without a visit.
 */
export function visitConditions(f: Filters, alias: 's' | 'r' = 's'): RawBuilder<boolean>[] {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const hasVisit = alias === 's' ? sql<boolean>`s.code is not null` : sql<boolean>`true`;
  const equalsOrNone = (name: string, value: string) =>
    value === NONE ? sql<boolean>`(${hasVisit} and ${col(name)} is null)` : sql<boolean>`${col(name)} = ${value}`;
  const out: RawBuilder<boolean>[] = [];
  if (f.trafficType) out.push(sql<boolean>`${col('traffic_type')} = ${f.trafficType}`);
  if (f.source) out.push(equalsOrNone('source', f.source));
  if (f.medium) out.push(equalsOrNone('medium', f.medium));
  if (f.campaign) out.push(equalsOrNone('campaign', f.campaign));
  return out;
}

/**
 * The filters over the journal's join (inquiries `i`, contacts `c`, channels `ch`, sessions `s`).
 * Every value is a parameter; only fixed column names are written into the SQL.
 */
export function inquiryConditions(f: Filters): RawBuilder<boolean> {
  const out = visitConditions(f);
  if (f.channel) out.push(sql<boolean>`ch.kind = ${f.channel}`);
  if (f.provider) out.push(sql<boolean>`ch.provider = ${f.provider}`);
  if (f.type) out.push(sql<boolean>`i.type = ${f.type}`);
  if (f.match) out.push(sql<boolean>`i.match_method = ${f.match}`);
  if (f.status) out.push(sql<boolean>`i.status = ${f.status}`);
  if (f.tag) out.push(sql<boolean>`i.tags @> array[${f.tag}]::text[]`);
  if (f.page) {
    out.push(f.page.by === 'path' ? sql<boolean>`i.page_path like ${prefixPattern(f.page.prefix)}` : sql<boolean>`i.page_url like ${prefixPattern(f.page.prefix)}`);
  }
  if (f.q) {
    const p = containsPattern(f.q.text);
    const phone = f.q.digits ? containsPattern(f.q.digits) : p;
    const user = containsPattern(f.q.text.replace(/^@/, ''));
    out.push(sql<boolean>`(c.name ilike ${p} or c.phone like ${phone} or c.username ilike ${user} or i.first_message ilike ${p})`);
  }
  return and(out);
}

/** True when the report must look at the contact to apply the filters. */
export const needsContact = (f: Filters) => f.q !== undefined;

// The path of a URL prefix that reaches past the host: what comes after it, up to ? or #.
const URL_PATH = /^https?:\/\/[^/?#]*(\/[^?#]*)/i;

/**
 * The filters over sessions `s` started at `since` or later, as the reports count them: the
 * visit's own attributes, and for `page`, visits that viewed such a page. What only an inquiry
 * has (type, match, tag, status, provider, q) leaves sessions alone.
 */
export function sessionConditions(f: Filters, since: Date): RawBuilder<boolean> {
  const out = visitConditions(f);
  if (f.page) {
    // The path prefix is what the index ranges over; a URL prefix that reaches into the path
    // holds one too (a view's path is the part of its URL after the host, up to ? or #).
    const path = f.page.by === 'path' ? f.page.prefix : URL_PATH.exec(f.page.prefix)?.[1];
    const conds = path ? [sql<boolean>`pv.path like ${prefixPattern(path)}`] : [];
    if (f.page.by === 'url') conds.push(sql<boolean>`pv.url like ${prefixPattern(f.page.prefix)}`);
    // A visit's page views are stamped at its start or later: the bound spares the views of
    // earlier visits to the same pages, which the prefix's index range would otherwise read.
    out.push(sql<boolean>`exists (select 1 from pageviews pv where pv.site_id = s.site_id and pv.session_code = s.code
      and ${and(conds)} and pv.ts >= ${since})`);
  }
  return and(out);
}

/** The filters over chat clicks `k` joined to their session `s`: the visit's, the page clicked on, the messenger. */
export function clickConditions(f: Filters): RawBuilder<boolean> {
  const out = visitConditions(f);
  if (f.channel) out.push(sql<boolean>`k.messenger = ${f.channel}`);
  if (f.page) {
    out.push(f.page.by === 'path' ? sql<boolean>`k.page_path like ${prefixPattern(f.page.prefix)}` : sql<boolean>`k.page_url like ${prefixPattern(f.page.prefix)}`);
  }
  return and(out);
}

/** Whether any filter needs the visit's attributes (so a report joins sessions). */
export const needsVisit = (f: Filters) => Boolean(f.trafficType || f.source || f.medium || f.campaign);
