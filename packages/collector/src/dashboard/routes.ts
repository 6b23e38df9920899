import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/open.ts';
import { HttpError } from '../app/errors.ts';
import { bearer } from '../admin/auth.ts';
import { safeEqual, sha256 } from '../admin/tokens.ts';
import { ROOT } from '../paths.ts';
import { loadAsset, sendAsset } from '../app/assets.ts';
import { CSP, dashboardPage } from './page.ts';

export const DASHBOARD_DIR = join(ROOT, 'packages/collector/dist/dashboard');
const FOREVER = 'public, max-age=31536000, immutable';

/** The analysts' web page at `/`, its two built files, and the one call it needs beyond the read API. */
export async function dashboardRoutes(app: FastifyInstance, opts: { database: Database; adminToken: string; dir?: string }) {
  const dir = opts.dir ?? DASHBOARD_DIR;
  const js = loadAsset(join(dir, 'app.js'), 'text/javascript; charset=utf-8');
  const css = loadAsset(join(dir, 'app.css'), 'text/css; charset=utf-8');
  const html = js && css ? Buffer.from(dashboardPage({ js: js.version, css: css.version })) : null;
  const etag = html && `"${createHash('sha256').update(html).digest('base64url').slice(0, 16)}"`;

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    if (!html) return reply.code(503).send({ error: 'unavailable', message: 'the dashboard is not built: run npm run build' });
    // Revalidated on every visit (a 304 is cheap), so a new build shows at once.
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('etag', etag)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(html);
  });
  for (const [path, asset] of [['/dashboard/app.js', js], ['/dashboard/app.css', css]] as const) {
    app.get(path, { schema: { hide: true } }, async (req, reply) => {
      if (!asset) return reply.code(404).send({ error: 'not_found', message: 'the dashboard is not built: run npm run build' });
      // The page asks by content hash: that URL never changes meaning. Any other is revalidated.
      const current = (req.query as { v?: string }).v === asset.version;
      return sendAsset(req, reply, asset, current ? FOREVER : 'no-cache');
    });
  }

  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['journal'],
        summary: 'The sites this key may read: its own site, or every site for the admin token',
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'object',
            required: ['admin', 'sites'],
            properties: {
              admin: { type: 'boolean' },
              sites: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'key', 'name', 'timezone'],
                  properties: { id: { type: 'integer' }, key: { type: 'string' }, name: { type: 'string' }, timezone: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const token = bearer(req);
      if (!token) throw new HttpError(401, 'unauthorized', 'missing Authorization: Bearer <API key>');
      const sites = opts.database.db.selectFrom('sites').select(['sites.id', 'sites.key', 'sites.name', 'sites.timezone']).orderBy('sites.id');
      if (safeEqual(token, opts.adminToken)) return { admin: true, sites: await sites.execute() };
      const own = await sites
        .innerJoin('api_keys', 'api_keys.site_id', 'sites.id')
        .where('api_keys.hash', '=', sha256(token))
        .where('api_keys.revoked_at', 'is', null)
        .execute();
      if (!own.length) throw new HttpError(401, 'unauthorized', 'invalid or revoked API key');
      return { admin: false, sites: own };
    },
  );
}
