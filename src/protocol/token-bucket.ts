/**
 * The token bucket of the contract's rate limit (burst, then a sustained
 * rate), as one pure step shared by the server, which enforces it per
 * session, and the client, which paces its sends so it never meets it.
 */
export interface TokenBucket {
  /** Tokens held; may be negative while a client waits out a server's refusal. */
  tokens: number;
  /** When `tokens` was last brought up to date, ms (same clock as `now`). */
  at: number;
}

/** A full bucket at `now`. */
export function fullBucket(burst: number, now: number): TokenBucket {
  return { tokens: burst, at: now };
}

/**
 * Brings `b` up to `now`: it refills at `perMs` tokens per ms, up to `burst`.
 * A clock that steps back refills nothing until it passes `at` again.
 */
export function refillBucket(b: TokenBucket, burst: number, perMs: number, now: number): void {
  if (now <= b.at) return;
  b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
  b.at = now;
}

/**
 * Refills `b` up to `now` and takes one token. Returns 0 when taken, else the
 * milliseconds until a token is there (never 0 when refused; nothing taken).
 */
export function takeToken(b: TokenBucket, burst: number, perMs: number, now: number): number {
  refillBucket(b, burst, perMs, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / perMs));
}
