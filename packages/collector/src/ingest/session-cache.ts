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

export class SessionCache {
  private readonly map = new Map<string, KnownSession>();
  constructor(private readonly max = 100_000) {}

  static key(siteId: number, code: string, visitorId?: string) {
    return visitorId === undefined ? `${siteId}:${code}` : `${siteId}:${code}:${visitorId}`;
  }

  get(key: string): KnownSession | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: KnownSession) {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  clear() {
    this.map.clear();
  }
}
