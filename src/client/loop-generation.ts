/**
 * The connect loop's generation and its wait between attempts. Starting a
 * new loop, a live reopen or stop() moves to the next generation and wakes
 * a pending wait at once, so the older loop sees it was superseded and ends
 * rather than sleeping out its backoff.
 */
export class LoopGeneration {
  private value = 0;
  private wake: (() => void) | undefined;

  /** The running loop's generation. */
  get current(): number {
    return this.value;
  }

  /** Cancels the running loop (and its wait); returns the new generation. */
  next(): number {
    this.value++;
    this.wake?.();
    return this.value;
  }

  /** Resolves after `ms`, or as soon as next() is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
