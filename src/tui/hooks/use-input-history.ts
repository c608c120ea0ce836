/**
 * Up/Down through what was sent before, as key bindings over the reducer's
 * history state (the transitions themselves live in input-reducer.ts).
 */
import { useCallback } from 'react';
import type { Key } from 'ink';
import { useChatActions } from '../state/contexts.js';

/** Returns a key handler that answers true when it used the key. */
export function useInputHistory(): (key: Key) => boolean {
  const { dispatch } = useChatActions();
  return useCallback(
    (key: Key): boolean => {
      if (key.upArrow) dispatch({ type: 'history/up' });
      else if (key.downArrow) dispatch({ type: 'history/down' });
      else return false;
      return true;
    },
    [dispatch],
  );
}
