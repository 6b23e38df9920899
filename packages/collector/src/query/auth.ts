import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB, Site } from '../db/schema.ts';
import { HttpError, notFound } from '../app/errors.ts';
import { bearer } from '../admin/auth.ts';
import { findSite } from '../admin/sites.ts';
import { safeEqual, sha256 } from '../admin/tokens.ts';

/**
 * The site a request may read: the admin token reads every site; a site's API key reads only
 * its own, and anything else is answered as if it did not exist.
 */
export async function authorizeSite(db: Kysely<DB>, req: FastifyRequest, siteRef: string, adminToken: string): Promise<Site> {
  const token = bearer(req);
  if (!token) throw new HttpError(401, 'unauthorized', 'missing Authorization: Bearer <API key>');
  if (safeEqual(token, adminToken)) {
    const site = await findSite(db, siteRef);
    if (!site) throw notFound('site');
    return site;
  }
  const key = await db
    .selectFrom('api_keys')
    .select(['site_id'])
    .where('hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!key) throw new HttpError(401, 'unauthorized', 'invalid or revoked API key');
  const site = await findSite(db, siteRef);
  if (!site || site.id !== key.site_id) throw notFound('site');
  return site;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the site the request's key may read, set before anything else looks at the request */
    chatmarkSite?: Site;
  }
}

export const siteOf = (req: FastifyRequest): Site => req.chatmarkSite!;

/** The OpenAPI security requirement of every route under /v1/sites. */
export const security = [{ bearer: [] }];
