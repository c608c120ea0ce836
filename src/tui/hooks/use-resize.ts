/**
 * Follows the terminal's size into the state. A window dragged to a new size
 * sends many resize events; the first goes through at once and the rest are
 * coalesced into one per `intervalMs`, since a width change repaints the
 * whole history.
 */
import { useEffect, type Dispatch } from 'react';
import { useStdout } from 'ink';
import type { ChatAction } from '../state/actions.js';
import { terminalSize } from '../terminal.js';

/** @param intervalMs least time between two resize actions; default 100 ms. */
export function useResize(dispatch: Dispatch<ChatAction>, intervalMs = 100): void {
  const { stdout } = useStdout();
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const apply = (): void => {
      timer = undefined;
      last = Date.now();
      dispatch({ type: 'resize', ...terminalSize(stdout) });
    };
    const onResize = (): void => {
      timer ??= setTimeout(apply, Math.max(0, last + intervalMs - Date.now()));
    };
    apply();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [stdout, dispatch, intervalMs]);
}
