/**
 * Every client socket or stream a helper opens registers a closer here, so
 * one `afterEach(closeAllClients)` frees whatever a failed test left open.
 */
const closers = new Set<() => void>();

/** Registers a closer; returns a function that unregisters it. */
export function track(close: () => void): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

export function closeAllClients(): void {
  for (const close of [...closers]) {
    try {
      close();
    } catch {
      // Already closed: nothing left to free.
    }
  }
  closers.clear();
}
