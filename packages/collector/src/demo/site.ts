import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { createSite } from '../admin/sites.ts';

export const DEMO = {
  name: 'Demo: Florista',
  whatsapp: '15550001234',
  telegramBot: 'florista_demo_bot',
  telegramUser: 'florista_demo',
} as const;

export async function findDemoSite(db: Kysely<DB>): Promise<Site | undefined> {
  return db
    .selectFrom('sites')
    .selectAll()
    .where(sql<boolean>`settings @> '{"demo": true}'::jsonb`)
    .orderBy('id')
    .executeTakeFirst();
}

/** Creates the demo site once; later starts find it. Returns it either way. */
export async function ensureDemoSite(db: Kysely<DB>, publicUrl: string): Promise<{ site: Site; created: boolean }> {
  const existing = await findDemoSite(db);
  if (existing) return { site: existing, created: false };
  await createSite(
    db,
    {
      name: DEMO.name,
      domains: [],
      timezone: 'UTC',
      settings: { demo: true, language: 'en', numbers: [DEMO.whatsapp], telegram: [DEMO.telegramUser, DEMO.telegramBot] },
    },
    publicUrl,
  );
  const site = await findDemoSite(db);
  if (!site) throw new Error('the demo site was not created');
  return { site, created: true };
}
