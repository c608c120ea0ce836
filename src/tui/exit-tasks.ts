/**
 * Work that must finish before the client goes away: the read markers of the
 * rooms just viewed (stored debounced, so the last second of reading would
 * otherwise be lost and notified again next time). The App registers tasks;
 * run.tsx runs them, bounded, when the user leaves.
 */
import { withTimeout } from '../util/async.js';

export class ExitTasks {
  private readonly tasks = new Set<() => Promise<void>>();

  /** Registers a task; returns its unregister function. */
  add(task: () => Promise<void>): () => void {
    this.tasks.add(task);
    return () => this.tasks.delete(task);
  }

  /** Runs every task at once and waits for all, at most `timeoutMs` (ms); never rejects. */
  async run(timeoutMs: number): Promise<void> {
    const all = Promise.allSettled([...this.tasks].map((t) => t()));
    await withTimeout(all, timeoutMs, () => new Error('exit tasks timed out')).catch(() => undefined);
  }
}
