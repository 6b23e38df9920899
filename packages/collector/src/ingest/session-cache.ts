import { Lru } from '../app/lru.ts';

/**
 * Which sessions this process has written recently, so a hit of a known session writes its one
 * row and nothing else. Bounded LRU; a miss only costs an idempotent upsert, so several collector
 * processes each keeping their own cache stay correct.
 */
export interface KnownSession {
  visitorId: string;
  /** the code the hit is recorded under (differs from the key after a collision) */
  code: string;
  /** last time last_seen_at was written */
  touchedAt: number;
}

export class SessionCache extends Lru<KnownSession> {
  constructor(max = 100_000) {
    super(max);
  }

  static key(siteId: number, code: string, visitorId?: string) {
    return visitorId === undefined ? `${siteId}:${code}` : `${siteId}:${code}:${visitorId}`;
  }
}
