import type { StoreEvent, StoreListener } from './store.js';

/**
 * The `subscribe` side of a store. A listener that throws must not undo a
 * commit that already happened nor starve the other listeners, so its error
 * goes to `onError` instead of up into the store.
 */
export class StoreEmitter {
  private readonly listeners = new Set<StoreListener>();
  private readonly onError: (err: unknown) => void;

  /** @param onError where listener errors go; default: a process warning. */
  constructor(onError: (err: unknown) => void = reportListenerError) {
    this.onError = onError;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Forgets every listener (the store closed). */
  clear(): void {
    this.listeners.clear();
  }

  emit(event: StoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}

function reportListenerError(err: unknown): void {
  process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'StoreListenerError');
}
