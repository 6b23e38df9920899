import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { SNIPPET_FILE } from '../paths.ts';

interface Encoded {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

/** Compressed once at start-up: the script is requested by every page view of every site. */
function encodeSnippet(file: string): Encoded | null {
  let identity: Buffer;
  try {
    identity = readFileSync(file);
  } catch {
    return null;
  }
  return {
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 16)}"`,
  };
}

export async function snippetRoutes(app: FastifyInstance, opts: { file?: string }) {
  const snippet = encodeSnippet(opts.file ?? SNIPPET_FILE);

  app.get('/s.js', async (req, reply) => {
    if (!snippet) {
      return reply.code(503).send({ error: 'unavailable', message: 'the snippet is not built: run npm run build' });
    }
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
      .header('etag', snippet.etag)
      .header('vary', 'Accept-Encoding')
      // Loaded from every customer's site: no credentials, any origin.
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin');
    if (req.headers['if-none-match'] === snippet.etag) return reply.code(304).send();
    const accept = String(req.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(snippet.br);
    if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(snippet.gzip);
    return reply.send(snippet.identity);
  });
}
