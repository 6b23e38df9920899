import type { FastifyRequest } from 'fastify';
import { HttpError } from '../app/errors.ts';
import { safeEqual } from './tokens.ts';

export function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1]! : null;
}

export function requireAdmin(adminToken: string) {
  return async (req: FastifyRequest) => {
    const token = bearer(req);
    if (!token) throw new HttpError(401, 'unauthorized', 'missing Authorization: Bearer <admin token>');
    if (!safeEqual(token, adminToken)) throw new HttpError(401, 'unauthorized', 'invalid admin token');
  };
}
