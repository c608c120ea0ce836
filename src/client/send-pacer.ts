/**
 * Client-side pacing of sends: the contract's token bucket (a session may
 * send `LIMITS.rateBurst` at once and `LIMITS.ratePerSecond` sustained), kept
 * a little inside it, so a client alone on its session never meets
 * `rate_limited` and no send of its own is refused and overtaken.
 *
 * Why the margin: the server takes its token when a send arrives, this pacer
 * when it leaves. If the first send of a session was slower to arrive than
 * later ones, the server's bucket runs behind ours by that difference times
 * the rate; an exact mirror would then be refused. Four tokens in reserve
 * absorb 200 ms of such jitter, and a 5 % slower sustained rate wins back
 * whatever jitter eats over time.
 */
import { LIMITS } from '../protocol/limits.js';
import { fullBucket, refillBucket, takeToken, type TokenBucket } from '../protocol/token-bucket.js';

export interface SendPacerOptions {
  /** Sends allowed at once. Default `LIMITS.rateBurst - 4` (36). */
  burst?: number;
  /** Sustained sends per second. Default `LIMITS.ratePerSecond * 0.95` (19). */
  perSecond?: number;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

export class SendPacer {
  readonly burst: number;
  readonly perSecond: number;
  private readonly perMs: number;
  private readonly now: () => number;
  private readonly bucket: TokenBucket;

  constructor(options: SendPacerOptions = {}) {
    this.burst = options.burst ?? LIMITS.rateBurst - 4;
    this.perSecond = options.perSecond ?? LIMITS.ratePerSecond * 0.95;
    if (!(this.burst >= 1) || !(this.perSecond > 0)) throw new RangeError('a pacer needs burst >= 1 and perSecond > 0');
    this.perMs = this.perSecond / 1000;
    this.now = options.now ?? Date.now;
    this.bucket = fullBucket(this.burst, this.now());
  }

  /**
   * Takes a token for one transmission (every attempt costs one on the
   * server, retries included). Returns 0 when the send may go now, else the
   * ms until it may (nothing taken).
   */
  take(): number {
    return takeToken(this.bucket, this.burst, this.perMs, this.now());
  }

  /**
   * The server refused a send with `rate_limited`: its bucket is empty and
   * holds a token again in `waitMs`. Nothing goes out before then, and the
   * pacing resumes from that empty bucket rather than from our fuller view.
   */
  holdFor(waitMs: number): void {
    const now = this.now();
    refillBucket(this.bucket, this.burst, this.perMs, now);
    this.bucket.tokens = Math.min(this.bucket.tokens, 1 - Math.max(0, waitMs) * this.perMs);
  }

  /** Tokens available now (for tests and diagnostics). */
  available(): number {
    refillBucket(this.bucket, this.burst, this.perMs, this.now());
    return this.bucket.tokens;
  }
}
