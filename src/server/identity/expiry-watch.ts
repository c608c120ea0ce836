/**
 * Ends streams whose credential ran out: a JWT past its `exp`, or an account
 * token that was rotated or removed since the stream opened. One timer for
 * every watched stream (never one per client): expiries are checked every
 * `tickMs`, account tokens re-verified every `recheckMs`.
 */

interface Watched {
  expiresAt: number;
  /** Resolves false when the credential no longer holds. */
  recheck: (() => Promise<boolean>) | undefined;
  end: () => void;
}

export class ExpiryWatch {
  private readonly watched = new Set<Watched>();
  private readonly timer: NodeJS.Timeout;
  private readonly recheckMs: number;
  private lastRecheck = Date.now();

  /**
   * @param options.tickMs check period, ms (default 1000); `recheckMs` account re-verification period
   *   (default 10000).
   */
  constructor(options: { tickMs?: number; recheckMs?: number } = {}) {
    this.recheckMs = options.recheckMs ?? 10_000;
    this.timer = setInterval(() => this.tick(), options.tickMs ?? 1000).unref();
  }

  /**
   * Calls `end` once when `expiresAt` (wall-clock ms) passes or `recheck`
   * says no. Returns the function that stops watching (call it on close).
   */
  watch(options: { expiresAt?: number | undefined; recheck?: () => Promise<boolean>; end: () => void }): () => void {
    if (options.expiresAt === undefined && options.recheck === undefined) return () => undefined;
    const w: Watched = { expiresAt: options.expiresAt ?? Infinity, recheck: options.recheck, end: options.end };
    this.watched.add(w);
    return () => this.watched.delete(w);
  }

  close(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }

  private tick(): void {
    const now = Date.now();
    const recheck = now - this.lastRecheck >= this.recheckMs;
    if (recheck) this.lastRecheck = now;
    for (const w of this.watched) {
      if (w.expiresAt <= now) {
        this.fire(w);
      } else if (recheck && w.recheck !== undefined) {
        w.recheck().then(
          (ok) => {
            if (!ok) this.fire(w);
          },
          () => undefined,
        );
      }
    }
  }

  private fire(w: Watched): void {
    if (!this.watched.delete(w)) return;
    w.end();
  }
}
