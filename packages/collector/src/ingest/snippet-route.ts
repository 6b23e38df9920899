import type { FastifyInstance } from 'fastify';
import { SNIPPET_FILE } from '../paths.ts';
import { loadAsset, sendAsset } from '../app/assets.ts';

export async function snippetRoutes(app: FastifyInstance, opts: { file?: string }) {
  // Compressed once at start-up: the script is requested by every page view of every site.
  const snippet = loadAsset(opts.file ?? SNIPPET_FILE, 'text/javascript; charset=utf-8');

  app.get('/s.js', async (req, reply) => {
    if (!snippet) {
      return reply.code(503).send({ error: 'unavailable', message: 'the snippet is not built: run npm run build' });
    }
    reply
      // Loaded from every customer's site: no credentials, any origin.
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin');
    return sendAsset(req, reply, snippet, 'public, max-age=3600, stale-while-revalidate=86400');
  });
}
