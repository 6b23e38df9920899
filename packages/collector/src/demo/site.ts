import { sql, type Kysely } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { createSite } from '../admin/sites.ts';
import { createChannel } from '../admin/channels.ts';
import { seedDemoData } from './seed.ts';

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

/**
 * Creates the demo site once, with a few months of generated traffic and inquiries so that the
 * dashboard has something to show (unless `withData` is false); later starts find it. Returns
 * it either way.
 */
export async function ensureDemoSite(db: Kysely<DB>, publicUrl: string, withData = true): Promise<{ site: Site; created: boolean }> {
  const existing = await findDemoSite(db);
  if (existing) {
    await ensureDemoChannel(db, existing, publicUrl);
    return { site: existing, created: false };
  }
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
  await ensureDemoChannel(db, site, publicUrl);
  // The bot the demo page's Telegram links open: the generated /start messages arrive through it.
  await createChannel(db, { site: String(site.id), kind: 'telegram', provider: 'telegram', address: DEMO.telegramBot }, publicUrl);
  if (!withData) return { site, created: true };
  const channels = await db.selectFrom('channels').selectAll().where('site_id', '=', site.id).execute();
  await seedDemoData(db, site, {
    whatsapp: channels.find((c) => c.kind === 'whatsapp')!,
    telegram: channels.find((c) => c.kind === 'telegram')!,
  });
  return { site, created: true };
}

/** The demo's WhatsApp number arrives through a generic channel, so the page can simulate a message. */
export async function findDemoChannel(db: Kysely<DB>, siteId: number) {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('provider', '=', 'generic')
    .where('kind', '=', 'whatsapp')
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
}

async function ensureDemoChannel(db: Kysely<DB>, site: Site, publicUrl: string) {
  if (await findDemoChannel(db, site.id)) return;
  await createChannel(db, { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: DEMO.whatsapp }, publicUrl);
}
