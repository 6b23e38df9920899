import type { Kysely } from 'kysely';
import { defaultTemplate, type HitAnswer, type SnippetSettings } from '@chatmark/shared';
import type { DB, Site } from '../db/schema.ts';

export interface IngestSite {
  id: number;
  domains: string[];
  /** what a pageview is answered with */
  settings: SnippetSettings;
  /** the usual answer, `{"s":settings}`, serialized once rather than per pageview */
  answer: string;
}

interface Entry {
  site: IngestSite | null;
  expires: number;
  loading?: Promise<IngestSite | null>;
}

/**
 * Sites by public key, for the hit route. Every hit names its site; a short cache keeps that
 * from being a query per hit, and also remembers unknown keys so garbage cannot hammer the
 * database. Settings edits show up within the TTL.
 */
export class SiteDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
  ) {}

  async get(key: string): Promise<IngestSite | null> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.site;
    if (hit?.loading) return hit.loading;
    const loading = this.db
      .selectFrom('sites')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst()
      .then((row) => (row ? toIngestSite(row) : null));
    this.entries.set(key, { site: hit?.site ?? null, expires: 0, loading });
    try {
      const site = await loading;
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { site, expires: now + this.ttlMs });
      return site;
    } catch (err) {
      this.entries.delete(key);
      throw err;
    }
  }

  invalidate() {
    this.entries.clear();
  }
}

export function toIngestSite(row: Site): IngestSite {
  const s = row.settings;
  const settings: SnippetSettings = {
    tpl: s.template ?? defaultTemplate(s.language),
    wa: (s.numbers ?? []).map((n) => n.replace(/\D/g, '')).filter(Boolean),
    tg: (s.telegram ?? []).map((u) => u.replace(/^@/, '').toLowerCase()).filter(Boolean),
    bots: (s.bots ?? []).map((u) => u.replace(/^@/, '').toLowerCase()).filter(Boolean),
  };
  return { id: row.id, domains: row.domains, settings, answer: JSON.stringify({ s: settings } satisfies HitAnswer) };
}

/** Whether a browser origin belongs to the site: its domains and their subdomains. */
export function originAllowed(domains: string[], origin: string | undefined): boolean {
  if (!domains.length) return true;
  if (!origin) return false;
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((d) => {
    const base = d.replace(/^\*\./, '');
    return host === base || host.endsWith('.' + base);
  });
}
