/**
 * Small in-memory token buckets for public endpoints (the website widget). Per process: several
 * workers each enforce their own quota, which is good enough against a noisy page or a script.
 */

/** A quota: at most `capacity` requests per `windowMs`, refilled continuously. */
export interface Quota {
  capacity: number;
  /** Milliseconds to refill the whole bucket. */
  windowMs: number;
}

/** The answer of {@link RateLimiter.take}. */
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets keyed by string. `take(key, quota)` spends one token or says how long (whole
 * seconds, ≥ 1) until one is back. `sweep` drops buckets idle for a whole window (they are full
 * again), so memory is bounded by the keys active within one window; `maxKeys` caps it under a
 * flood of new keys (least recently used dropped first).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now, private readonly maxKeys = 50_000) {}

  take(key: string, q: Quota): TakeResult {
    const t = this.now();
    const rate = q.capacity / q.windowMs;
    const b = this.buckets.get(key);
    const tokens = b ? Math.min(q.capacity, b.tokens + (t - b.at) * rate) : q.capacity;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: t });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) };
    }
    this.buckets.delete(key); // re-insert at the end: Map order is then least recently used first
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return { ok: true };
  }

  /**
   * Spends one token from every bucket or none: all keys are checked first, so a refused request
   * does not use up the quota of the keys that would have allowed it.
   */
  takeAll(entries: Array<[key: string, quota: Quota]>): TakeResult {
    let worst = 0;
    for (const [key, q] of entries) {
      const r = this.peek(key, q);
      if (r > worst) worst = r;
    }
    if (worst > 0) return { ok: false, retryAfterSeconds: worst };
    for (const [key, q] of entries) this.take(key, q);
    return { ok: true };
  }

  /** Seconds until `key` has a token (0 = now). */
  private peek(key: string, q: Quota): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const rate = q.capacity / q.windowMs;
    const tokens = Math.min(q.capacity, b.tokens + (this.now() - b.at) * rate);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate / 1000));
  }

  /** Drops buckets that have refilled completely (call now and then; cheap). */
  sweep(windowMs: number): void {
    const cutoff = this.now() - windowMs;
    for (const [k, b] of this.buckets) if (b.at < cutoff) this.buckets.delete(k);
  }
}
