import type { Kysely } from 'kysely';
import { defaultTemplate, type HitAnswer, type SnippetSettings } from '@chatmark/shared';
import type { DB, Site } from '../db/schema.ts';
import { TtlCache } from '../app/ttl-cache.ts';

export interface IngestSite {
  id: number;
  domains: string[];
  /** what a pageview is answered with */
  settings: SnippetSettings;
  /** the usual answer, `{"s":settings}`, serialized once rather than per pageview */
  answer: string;
}

/** Sites by public key, for the hit route: every hit names its site. */
export class SiteDirectory {
  private readonly cache = new TtlCache<IngestSite | null>();

  constructor(private readonly db: Kysely<DB>) {}

  get(key: string): Promise<IngestSite | null> {
    return this.cache.get(key, async (k) => {
      const row = await this.db.selectFrom('sites').selectAll().where('key', '=', k).executeTakeFirst();
      return row ? toIngestSite(row) : null;
    });
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
