/**
 * Reconnect delays with "full jitter" (AWS architecture blog): the delay for
 * retry n (0-based) is uniform in [0, min(maxMs, minMs * 2^n)]. Spreading
 * retries over the whole window keeps a crowd of clients that lost the same
 * server from coming back in lockstep.
 */
export interface BackoffOptions {
  /** Base of the exponential window, ms. Default 500. */
  minMs?: number;
  /** Cap of the window, ms. Default 30000. */
  maxMs?: number;
  /** Source of randomness in [0, 1); injectable for tests. Default Math.random. */
  random?: () => number;
}

export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.minMs = Math.max(0, options.minMs ?? 500);
    this.maxMs = Math.max(this.minMs, options.maxMs ?? 30_000);
    this.random = options.random ?? Math.random;
  }

  /** Upper bound of the window for retry `n` (0-based). */
  ceiling(n: number): number {
    // 2^n overflows to Infinity for large n, which Math.min handles.
    return Math.min(this.maxMs, this.minMs * 2 ** Math.max(0, n));
  }

  /** Delay before retry `n` (0-based), an integer number of ms. */
  delay(n: number): number {
    return Math.floor(this.random() * (this.ceiling(n) + 1));
  }
}
