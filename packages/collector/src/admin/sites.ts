import type { Kysely } from 'kysely';
import type { DB, Site, SiteSettings } from '../db/schema.ts';
import { HttpError } from '../app/errors.ts';
import { newSecret, newSiteKey, sha256 } from './tokens.ts';

export interface SiteInput {
  name: string;
  domains: string[];
  timezone: string;
  settings?: SiteSettings;
}

export interface SiteView {
  id: number;
  key: string;
  name: string;
  domains: string[];
  timezone: string;
  created_at: string;
  snippet: string;
}

export interface CreatedSite {
  id: number;
  key: string;
  api_key: string;
  snippet: string;
}

export const snippetTag = (publicUrl: string, key: string) =>
  `<script async src="${publicUrl}/s.js" data-site="${key}"></script>`;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const HOST = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** "https://Shop.example.com/path" and "shop.example.com" both mean the host shop.example.com. */
export function normalizeDomain(input: string): string | null {
  let s = input.trim().toLowerCase();
  if (!s) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(s)) {
    try {
      s = new URL(s).hostname;
    } catch {
      return null;
    }
  }
  s = s.replace(/[/?#].*$/, '').replace(/:\d+$/, '').replace(/\.$/, '');
  return HOST.test(s) ? s : null;
}

export function validateSiteInput(raw: { name?: unknown; domains?: unknown; timezone?: unknown }): SiteInput {
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name || name.length > 200) throw new HttpError(400, 'bad_request', 'name must be 1 to 200 characters');
  const list = raw.domains === undefined ? [] : Array.isArray(raw.domains) ? raw.domains : [raw.domains];
  const domains: string[] = [];
  for (const d of list.flatMap((x) => String(x).split(','))) {
    if (!d.trim()) continue;
    const host = normalizeDomain(d);
    if (!host) throw new HttpError(400, 'bad_request', `"${d.trim()}" is not a domain name`);
    if (!domains.includes(host)) domains.push(host);
  }
  const timezone = raw.timezone === undefined ? 'UTC' : String(raw.timezone);
  if (!isTimeZone(timezone)) throw new HttpError(400, 'bad_request', `"${timezone}" is not an IANA time zone (e.g. Europe/Moscow)`);
  return { name, domains, timezone };
}

export async function createSite(db: Kysely<DB>, input: SiteInput, publicUrl: string): Promise<CreatedSite> {
  return db.transaction().execute(async (trx) => {
    const site = await trx
      .insertInto('sites')
      .values({ key: newSiteKey(), name: input.name, domains: input.domains, timezone: input.timezone, settings: input.settings ?? {} })
      .returning(['id', 'key'])
      .executeTakeFirstOrThrow();
    const apiKey = await insertApiKey(trx, site.id, 'created with the site');
    return { id: site.id, key: site.key, api_key: apiKey, snippet: snippetTag(publicUrl, site.key) };
  });
}

export async function listSites(db: Kysely<DB>, publicUrl: string): Promise<SiteView[]> {
  const rows = await db.selectFrom('sites').selectAll().orderBy('id').execute();
  return rows.map((s) => toView(s, publicUrl));
}

export function toView(s: Site, publicUrl: string): SiteView {
  return {
    id: s.id,
    key: s.key,
    name: s.name,
    domains: s.domains,
    timezone: s.timezone,
    created_at: s.created_at.toISOString(),
    snippet: snippetTag(publicUrl, s.key),
  };
}

/** A site named by its numeric id or its public key, as people will type either. */
export async function findSite(db: Kysely<DB>, ref: string | number): Promise<Site | undefined> {
  const s = String(ref).trim();
  const q = db.selectFrom('sites').selectAll();
  return /^\d{1,9}$/.test(s) ? q.where('id', '=', Number(s)).executeTakeFirst() : q.where('key', '=', s).executeTakeFirst();
}

export async function createApiKey(db: Kysely<DB>, siteRef: string | number, name?: string): Promise<{ api_key: string }> {
  const site = await findSite(db, siteRef);
  if (!site) throw new HttpError(404, 'not_found', `site ${siteRef} not found`);
  return { api_key: await insertApiKey(db, site.id, name ?? null) };
}

async function insertApiKey(db: Kysely<DB>, siteId: number, name: string | null): Promise<string> {
  const key = newSecret('cmk_');
  await db.insertInto('api_keys').values({ site_id: siteId, hash: sha256(key), prefix: key.slice(0, 8), name }).execute();
  return key;
}
