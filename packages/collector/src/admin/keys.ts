import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { HttpError } from '../app/errors.ts';
import { findSite } from './sites.ts';
import { sha256 } from './tokens.ts';

export interface ApiKeyView {
  id: number;
  prefix: string;
  name: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toView = (k: { id: number; prefix: string; name: string | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): ApiKeyView => ({
  id: k.id,
  prefix: k.prefix,
  name: k.name,
  created_at: k.created_at.toISOString(),
  last_used_at: k.last_used_at?.toISOString() ?? null,
  revoked_at: k.revoked_at?.toISOString() ?? null,
});

async function siteIdOf(db: Kysely<DB>, siteRef: string): Promise<number> {
  const site = await findSite(db, siteRef);
  if (!site) throw new HttpError(404, 'not_found', `site ${siteRef} not found`);
  return site.id;
}

/** A site's keys, revoked ones included (marked), never the keys themselves: only their hashes are kept. */
export async function listApiKeys(db: Kysely<DB>, siteRef: string): Promise<ApiKeyView[]> {
  const siteId = await siteIdOf(db, siteRef);
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'prefix', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('site_id', '=', siteId)
    .orderBy('id')
    .execute();
  return rows.map(toView);
}

/**
 * Revokes one key of the site, named by its id, its prefix (as `key list` shows it) or the whole
 * key. Takes effect on the next request: every request looks the key up. Revoking twice is fine.
 */
export async function revokeApiKey(db: Kysely<DB>, siteRef: string, keyRef: string): Promise<ApiKeyView> {
  const siteId = await siteIdOf(db, siteRef);
  const ref = keyRef.trim();
  let q = db.selectFrom('api_keys').select('id').where('site_id', '=', siteId);
  if (/^\d{1,9}$/.test(ref)) q = q.where('id', '=', Number(ref));
  else if (ref.length > 8) q = q.where('hash', '=', sha256(ref));
  else q = q.where('prefix', '=', ref);
  const found = await q.limit(2).execute();
  if (!found.length) throw new HttpError(404, 'not_found', `no API key "${ref}" on site ${siteRef}`);
  if (found.length > 1) throw new HttpError(409, 'conflict', `the prefix "${ref}" names more than one key: use the id from key list`);
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('site_id', '=', siteId)
    .where('id', '=', found[0]!.id)
    .returning(['id', 'prefix', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return toView(row);
}
