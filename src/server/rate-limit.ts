/**
 * Token buckets per key (a session, or an address for anonymous senders).
 * A bucket that would be full again carries no information, so idle buckets
 * are dropped by `sweep()`; memory is bounded by the keys active in the last
 * `burst / perSecond` seconds (and hard-capped by `maxKeys`). The bucket
 * step itself is shared with the client's pacer (protocol/token-bucket.ts).
 */
import { fullBucket, takeToken, type TokenBucket } from '../protocol/token-bucket.js';

export interface RateLimiterOptions {
  /** Sends allowed at once. Default 40. */
  burst?: number;
  /** Sustained sends per second. Default 20. */
  perSecond?: number;
  /** Hard cap on tracked keys; past it the oldest are forgotten. Default 100000. */
  maxKeys?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export class RateLimiter {
  private readonly burst: number;
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(options: RateLimiterOptions = {}) {
    this.burst = options.burst ?? 40;
    this.perMs = (options.perSecond ?? 20) / 1000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Takes one token. Returns 0 when allowed, else the milliseconds until a
   * token is available (never 0 when refused).
   */
  take(key: string): number {
    const now = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evictOldest();
      b = fullBucket(this.burst, now);
      this.buckets.set(key, b);
    }
    return takeToken(b, this.burst, this.perMs, now);
  }

  /** Forgets buckets that have refilled completely. */
  sweep(): void {
    const now = this.now();
    const fullAfterMs = this.burst / this.perMs;
    for (const [key, b] of this.buckets) {
      if (now - b.at >= fullAfterMs) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  private evictOldest(): void {
    // Map keeps insertion order: the first keys are the longest tracked.
    const drop = Math.max(1, this.maxKeys >> 4);
    let n = 0;
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (++n >= drop) break;
    }
  }
}
