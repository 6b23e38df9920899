import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** An error that is the caller's fault, answered as `{ error, message }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'unavailable',
};

export function errorHandler(err: FastifyError | HttpError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HttpError) {
    return reply.code(err.statusCode).send({ error: err.code, message: err.message });
  }
  if (unstorableValue(err)) {
    return reply.code(400).send({ error: 'bad_request', message: 'a value holds a NUL character or an unpaired surrogate, which cannot be stored' });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx (validation, JSON syntax, body limit, media type) keep their status
    // and get our shape.
    const message = err.validation ? validationMessage(err) : err.message;
    return reply.code(status).send({ error: CODES[status] ?? 'bad_request', message });
  }
  if (status === 503) {
    return reply.code(503).send({ error: 'unavailable', message: err.message });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({ error: 'internal', message: 'internal error' });
}

// What PostgreSQL (and PGlite) answer for a NUL in text (22021), a \u0000 in jsonb (22P05), and
// an unpaired surrogate in jsonb (22P02 "invalid input syntax for type json"; our own JSON is
// otherwise always valid). Only a value from outside can hold one: the caller's fault, whichever
// route it came through (a URL's %00, a body). Hits and webhooks repair them instead
// (storable.ts), so that nothing a visitor or a platform sent is lost.
const unstorableValue = (err: { code?: unknown; message?: string }) =>
  err.code === '22021' || err.code === '22P05' || (err.code === '22P02' && /type json/.test(err.message ?? ''));

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ error: 'not_found', message: `no route for ${req.method} ${req.url.split('?')[0]}` });
}

/** "invalid querystring: type must be one of new, repeat": the allowed values, not just that there are some. */
function validationMessage(err: FastifyError): string {
  let text = err.message.replace(/^(body|querystring|params|headers)\/?/, '');
  const first = err.validation?.[0];
  const allowed = first?.keyword === 'enum' ? (first.params as { allowedValues?: unknown[] }).allowedValues : undefined;
  if (allowed) text = text.replace('must be equal to one of the allowed values', `must be one of ${allowed.join(', ')}`);
  return `invalid ${err.validationContext ?? 'input'}: ${text}`;
}
