/** What the HTTP-based bench subscribers share: liveness, abort and the ready/loop wiring. */
import { deferred, type Subscriber } from './subscriber.js';

export abstract class HttpSubscriber implements Subscriber {
  abstract readonly ready: Promise<void>;
  dead = false;
  error: string | undefined;
  protected closing = false;
  protected readonly abort = new AbortController();

  /** Runs a request loop; the returned promise settles at its first answer or its failure. */
  protected startLoop(loop: (onReady: () => void) => Promise<void>): Promise<void> {
    const d = deferred();
    loop(d.resolve).catch((err: unknown) => {
      if (!this.closing) this.die(err);
      d.reject(err instanceof Error ? err : new Error(String(err)));
    });
    return d.promise;
  }

  protected die(err: unknown): void {
    this.dead = true;
    this.error ??= err instanceof Error ? err.message : String(err);
  }

  close(): void {
    this.closing = true;
    this.abort.abort();
  }
}
