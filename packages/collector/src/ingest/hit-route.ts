import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isCode, type Hit, type HitAnswer } from '@chatmark/shared';
import { HttpError } from '../app/errors.ts';
import { storable } from '../app/storable.ts';
import { GroupCommit, QueueFullError } from './group-commit.ts';
import { hitSchema } from './hit-schema.ts';
import type { HitStore, HitWrite, HitWriteResult } from './hit-store.ts';
import { enrichSession } from './enrich-session.ts';
import { RateLimiter } from './rate-limit.ts';
import { originAllowed, type SiteDirectory } from './site-directory.ts';

export interface HitRouteOptions {
  sites: SiteDirectory;
  store: HitStore;
  writer: GroupCommit<HitWrite, HitWriteResult>;
  rateLimit: number;
}

const BODY_LIMIT = 8 * 1024;
const PAGE_URL = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?(?:[?#]\S*)?$/i;

function unavailable(reply: FastifyReply, retryAfter: number, message: string) {
  return reply.code(503).header('retry-after', String(retryAfter)).send({ error: 'unavailable', message });
}

export async function hitRoutes(app: FastifyInstance, opts: HitRouteOptions) {
  const { sites, store, writer } = opts;
  const limiter = new RateLimiter(opts.rateLimit);

  // Any origin may call; whether it belongs to the named site is checked per hit below.
  await app.register(cors, { origin: true, methods: ['POST'], credentials: false, maxAge: 86_400 });

  // sendBeacon and fetch send text/plain to skip the CORS preflight; the text is JSON.
  const parser = { parseAs: 'string', bodyLimit: BODY_LIMIT } as const;
  const parse = (_req: unknown, body: string | Buffer, done: (err: Error | null, hit?: unknown) => void) => {
    try {
      done(null, parseHit(body as string));
    } catch (err) {
      done(err as Error);
    }
  };
  app.addContentTypeParser('text/plain', parser, parse);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', parser, parse);

  app.post('/v1/hit', { bodyLimit: BODY_LIMIT, schema: { body: hitSchema } }, async (req, reply) => {
    const hit = req.body as Hit;
    if (!limiter.allow(req.ip)) {
      return reply.code(429).header('retry-after', String(limiter.retryAfter())).send({ error: 'too_many_requests', message: 'too many hits from this address' });
    }
    if (!isCode(hit.c)) throw new HttpError(400, 'bad_request', 'c is not a valid visit code');
    // The browser's own location.href: already normalised, so a pattern is enough to take the path.
    const page = PAGE_URL.exec(hit.u);
    if (!page) throw new HttpError(400, 'bad_request', 'u must be an http(s) URL');
    if (hit.t === 'click' && !hit.m) throw new HttpError(400, 'bad_request', 'a click needs m (wa or tg)');
    if (hit.t === 'event' && !hit.e) throw new HttpError(400, 'bad_request', 'an event needs e (its name)');

    let site;
    try {
      site = await sites.get(hit.k);
    } catch {
      return unavailable(reply, 5, 'the database is not answering');
    }
    if (!site) throw new HttpError(404, 'not_found', 'unknown site key');
    const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
    if (!originAllowed(site.domains, origin)) throw new HttpError(403, 'forbidden', `origin ${origin ?? '(none)'} is not one of the site's domains`);

    const ts = new Date();
    const path = page[1] || '/';
    const title = hit.ti || null;
    const write: HitWrite = {
      siteId: site.id,
      ts,
      visitorId: hit.v,
      code: hit.c,
      session: store.known(site.id, hit.c, hit.v) ? null : enrichSession(hit, req.headers['user-agent'] ?? '', req.ip, site.domains),
    };
    if (hit.t === 'pv') write.pageview = { url: hit.u, path, title };
    else if (hit.t === 'click') write.click = { url: hit.u, path, title, messenger: hit.m === 'wa' ? 'whatsapp' : 'telegram', target: (hit.to ?? '').toLowerCase() };
    else write.event = { name: hit.e!, props: hit.p ?? {}, url: hit.u, path };

    let result: HitWriteResult;
    try {
      result = await writer.submit(write);
    } catch (err) {
      if (err instanceof QueueFullError) return unavailable(reply, 1, 'the collector is saturated; retry shortly');
      req.log.warn({ err }, 'hit not stored');
      return unavailable(reply, 5, 'the database is not answering');
    }
    if (hit.t !== 'pv') return reply.code(204).send();
    if (result.code === hit.c) return reply.type('application/json').send(site.answer);
    return { c: result.code, s: site.settings } satisfies HitAnswer;
  });
}

function parseHit(body: string): unknown {
  let hit;
  try {
    hit = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'bad_request', 'the body is not valid JSON');
  }
  // Only an escape can carry what the database refuses, and few bodies hold one.
  return body.includes('\\u') ? storable(hit) : hit;
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
