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
  settings: SiteSettings;
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
    settings: s.settings,
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

/** Validates the settings a site owner may change; unknown keys are refused. */
export function validateSettings(raw: Record<string, unknown>): SiteSettings {
  const out: SiteSettings = {};
  const bad = (m: string) => new HttpError(400, 'bad_request', m);
  for (const [k, v] of Object.entries(raw)) {
    switch (k) {
      case 'language':
        if (typeof v !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(v)) throw bad('language must be a tag like ru, en or pt-BR');
        out.language = v;
        break;
      case 'template':
        if (typeof v !== 'string' || !v.includes('{code}') || v.length > 500) throw bad('template must contain {code} and be at most 500 characters');
        out.template = v;
        break;
      case 'numbers': {
        const list = Array.isArray(v) ? v.map((n) => String(n).replace(/[\s()+.-]/g, '')) : null;
        if (!list || list.some((n) => !/^\d{8,15}$/.test(n))) throw bad('numbers must be phone numbers in international format');
        out.numbers = list;
        break;
      }
      case 'telegram':
      case 'bots': {
        const list = Array.isArray(v) ? v.map((u) => String(u).replace(/^@/, '').toLowerCase()) : null;
        if (!list || list.some((u) => !/^[a-z][a-z0-9_]{3,31}$/.test(u))) throw bad(`${k} must be Telegram usernames`);
        out[k] = list;
        break;
      }
      case 'store_text':
        if (typeof v !== 'boolean') throw bad('store_text must be true or false');
        out.store_text = v;
        break;
      default:
        throw bad(`unknown setting "${k}"`);
    }
  }
  return out;
}

/** Changes a site; settings are merged into what the site has. */
export async function updateSite(db: Kysely<DB>, ref: string, patch: { name?: unknown; domains?: unknown; timezone?: unknown; settings?: Record<string, unknown> }, publicUrl: string): Promise<SiteView> {
  const site = await findSite(db, ref);
  if (!site) throw new HttpError(404, 'not_found', `site ${ref} not found`);
  const merged = validateSiteInput({
    name: patch.name ?? site.name,
    domains: patch.domains ?? site.domains,
    timezone: patch.timezone ?? site.timezone,
  });
  const settings = { ...site.settings, ...validateSettings(patch.settings ?? {}) };
  const row = await db
    .updateTable('sites')
    .set({ name: merged.name, domains: merged.domains, timezone: merged.timezone, settings })
    .where('id', '=', site.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toView(row, publicUrl);
}
