/**
 * Hits per client address per minute, in memory. A fixed window is crude but costs one map
 * lookup on the hot path; it is there to blunt floods from one address, not to meter anyone.
 */
export class RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  /** false when this address is over its limit for the current minute */
  allow(address: string, now = Date.now()): boolean {
    if (this.perMinute <= 0) return true;
    const w = Math.floor(now / 60_000);
    if (w !== this.window) {
      this.window = w;
      this.counts = new Map();
    }
    const n = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, n);
    return n <= this.perMinute;
  }

  /** seconds until the current window ends */
  retryAfter(now = Date.now()): number {
    return Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000));
  }
}
