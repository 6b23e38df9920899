/**
 * A bounded map that keeps the keys used lately: an approximate least-recently-used cache in two
 * generations of up to half the capacity each. Reads and writes land in the young generation; a
 * key read from the old one moves up. When the young generation is full it becomes the old one
 * and the old one is dropped, so a key stays as long as it is used again within the next half
 * capacity of other keys. Strict LRU order (a delete and a set on every read, in a Map of 100,000
 * sessions) cost ~1.4 µs a hit in bench:ingest; here a read of a recent key is one lookup.
 */
export class Lru<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;

  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.add(key, o);
    }
    return o;
  }

  set(key: string, v: V): void {
    if (this.young.has(key)) {
      this.young.set(key, v);
    } else {
      this.old.delete(key);
      this.add(key, v);
    }
  }

  // A key is in one generation at most, so the two together never hold more than the capacity.
  private add(key: string, v: V) {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, v);
  }
}
