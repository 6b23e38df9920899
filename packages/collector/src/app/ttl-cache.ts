interface Entry<V> {
  value: V;
  expires: number;
}

/**
 * A small read-through cache for rows every request names (a site by key, a channel by id):
 * keeps them for a short TTL, remembers misses too so garbage cannot hammer the database, and
 * lets concurrent misses of one key share a single load. Edits show up within the TTL.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
  ) {}

  async get(key: string, load: (key: string) => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = load(key).then(
      (value) => {
        this.loading.delete(key);
        if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
        this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
        return value;
      },
      (err: unknown) => {
        this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  clear() {
    this.entries.clear();
  }
}
