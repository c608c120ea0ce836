/**
 * Dead-peer detection: `touch()` on any sign of life (a frame, a byte, a
 * heartbeat); when none comes for `timeoutMs`, `onExpire` fires once. Touching
 * only stores a number, so it costs nothing on the hot path.
 */
export class Watchdog {
  private last = Date.now();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param timeoutMs silence that means the peer is dead (twice the heartbeat period)
   * @param onExpire called once, then the watchdog stops
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly onExpire: (silentMs: number) => void,
  ) {
    // Checking four times per period bounds detection at 1.25 × timeoutMs.
    const every = Math.max(10, Math.floor(timeoutMs / 4));
    this.timer = setInterval(() => this.check(), every);
    this.timer.unref();
  }

  touch(): void {
    this.last = Date.now();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const silent = Date.now() - this.last;
    if (silent < this.timeoutMs) return;
    this.stop();
    this.onExpire(silent);
  }
}
