/**
 * Bounded waiting. Tests synchronise on observable state through these,
 * never on bare sleeps; every wait has a deadline and a message saying what
 * was awaited, so a hang becomes a readable failure.
 */
import { withTimeout as raceDeadline } from '../../src/util/async.js';

export { deferred, type Deferred } from '../../src/util/async.js';

/**
 * Default deadline of every wait, in ms. Generous because the CI machine is
 * shared and slow; a deadline only matters when something is already wrong.
 */
export const DEFAULT_WAIT_MS = 10_000;

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`timed out after ${ms} ms waiting for ${what}`);
    this.name = 'TimeoutError';
  }
}

export interface WaitOptions {
  /** Deadline in ms. Default DEFAULT_WAIT_MS (10000). */
  timeoutMs?: number;
  /** Poll period in ms. Default 10. */
  intervalMs?: number;
  /** What is awaited, for the failure message. Default 'condition'. */
  what?: string;
}

type Falsy = false | null | undefined | 0 | '';

/**
 * Re-evaluates `check` until it returns a truthy value (which is returned) or
 * the deadline passes. A throwing check is retried; its last error is kept in
 * the failure message so that an `expect` inside the check reads well.
 */
export async function waitFor<T>(check: () => T | Falsy | Promise<T | Falsy>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = DEFAULT_WAIT_MS, intervalMs = 10, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const err = new TimeoutError(what, timeoutMs);
      if (lastError instanceof Error) err.message += `; last error: ${lastError.message}`;
      throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Races `promise` against a deadline; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return raceDeadline(promise, timeoutMs, () => new TimeoutError(what, timeoutMs));
}

/**
 * A growing list that can be awaited: `next(pred)` resolves with the first
 * item after the last one it returned that matches `pred`, so successive
 * calls walk forward through the stream like a queue.
 */
export class Inbox<T> {
  readonly items: T[] = [];
  private cursor = 0;
  private waiters = new Set<() => void>();
  private endedWith: Error | undefined;

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters) wake();
  }

  /** Marks the stream over: pending and later `next` calls fail fast with `reason`. */
  end(reason: Error): void {
    this.endedWith = reason;
    for (const wake of this.waiters) wake();
  }

  get ended(): boolean {
    return this.endedWith !== undefined;
  }

  next(pred: (item: T) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS, what = 'a matching item'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const scan = (): boolean => {
        for (let i = this.cursor; i < this.items.length; i++) {
          const item = this.items[i] as T;
          if (pred(item)) {
            this.cursor = i + 1;
            finish();
            resolve(item);
            return true;
          }
        }
        if (this.endedWith) {
          finish();
          reject(new Error(`stream ended before ${what}: ${this.endedWith.message}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new TimeoutError(`${what} (got ${this.items.length} items)`, timeoutMs));
      }, timeoutMs);
      const wake = (): void => void scan();
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      if (!scan()) this.waiters.add(wake);
    });
  }

  /** Waits until the whole list satisfies `pred` (e.g. "holds 5 messages"). */
  async until(pred: (items: readonly T[]) => boolean, timeoutMs = DEFAULT_WAIT_MS, what = 'items'): Promise<T[]> {
    await waitFor(() => pred(this.items), { timeoutMs, what, intervalMs: 5 });
    return this.items;
  }
}
