/**
 * Hands each submitted line to the persistent history. A history that cannot
 * be written (a read-only home, a full disk) is said once, as a system line,
 * and never stops the chat.
 */
import type { Dispatch } from 'react';
import type { ChatAction } from '../state/actions.js';

/** Where lines go; see AppHistory in app.tsx. */
export interface LineSink {
  add(typed: string): Promise<void>;
}

/** Stores each submitted line (as typed) in `sink`, if any; `now` stamps the warning (default Date.now). */
export function rememberLine(
  sink: LineSink | undefined,
  dispatch: Dispatch<ChatAction>,
  now: () => number = Date.now,
): (typed: string) => void {
  let warned = false;
  return (typed) => {
    if (sink === undefined) return;
    sink.add(typed).catch((err: unknown) => {
      if (warned) return;
      warned = true;
      const why = err instanceof Error ? err.message : String(err);
      dispatch({ type: 'system', text: `input history not saved: ${why}`, level: 'warn', now: now() });
    });
  };
}
