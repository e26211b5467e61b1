/**
 * A token bucket per caller: `limit` writes at once, refilled at `limit` per minute. Buckets that have
 * refilled completely carry no information, so `sweep` drops them and memory follows the active writers.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    readonly limit: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = limit / 60_000;
  }

  /** Takes one write for `caller`: undefined when allowed, else the whole seconds until the next one is. */
  take(caller: string): number | undefined {
    const now = this.now();
    const bucket = this.buckets.get(caller);
    const tokens = bucket ? Math.min(this.limit, bucket.tokens + (now - bucket.at) * this.perMs) : this.limit;
    if (tokens >= 1) {
      this.buckets.set(caller, { tokens: tokens - 1, at: now });
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  /** What `caller` has left right now, and the whole seconds until their bucket is full again. */
  status(caller: string): { remaining: number; resetSeconds: number } {
    const bucket = this.buckets.get(caller);
    const tokens = bucket ? Math.min(this.limit, bucket.tokens + (this.now() - bucket.at) * this.perMs) : this.limit;
    return { remaining: Math.floor(tokens), resetSeconds: Math.ceil((this.limit - tokens) / this.perMs / 1000) };
  }

  sweep(): void {
    const now = this.now();
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.limit) {
        this.buckets.delete(caller);
      }
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
