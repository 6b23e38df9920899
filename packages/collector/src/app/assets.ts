import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A built file held in memory, compressed once at start-up. */
export interface Asset {
  type: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  /** a short content hash, for URLs that may be cached for good */
  version: string;
}

export function loadAsset(file: string, type: string): Asset | null {
  let identity: Buffer;
  try {
    identity = readFileSync(file);
  } catch {
    return null;
  }
  const version = createHash('sha256').update(identity).digest('base64url').slice(0, 16);
  return {
    type,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${version}"`,
    version,
  };
}

/** Sends the asset in the best encoding the client takes, or 304 when its copy is current. */
export function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string) {
  reply.header('content-type', asset.type).header('cache-control', cacheControl).header('etag', asset.etag).header('vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(asset.br);
  if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.identity);
}
