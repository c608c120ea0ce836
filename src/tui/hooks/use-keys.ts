/**
 * The key bindings of the chat screen: editing, history, scrollback, panels,
 * and Ctrl+C to leave. The handler reads the store, not the last render:
 * one stdin chunk can hold several keys (a paste ending in Enter).
 */
import { useCallback } from 'react';
import { useInput, type Key } from 'ink';
import { useInputHistory } from './use-input-history.js';
import { useTerminalSize } from './use-terminal-size.js';
import { scrollPageSize } from '../components/chat-screen.js';
import { useChatActions } from '../state/contexts.js';

export function useKeys(): void {
  const { dispatch, getState, submit, quit } = useChatActions();
  const history = useInputHistory();
  const { rows } = useTerminalSize();

  const onKey = useCallback(
    (input: string, key: Key): void => {
      const s = getState();
      const pageSize = scrollPageSize(s, rows);
      if (key.ctrl && input === 'c') return quit('left');
      if (key.ctrl && input === 'd') {
        if (s.input.value === '') return quit('left');
        return dispatch({ type: 'input/delete' });
      }
      const enter = (): void => {
        const line = getState().input.value;
        dispatch({ type: 'input/submit' });
        submit(line);
      };
      if (key.return) return enter();
      // A paste arrives as one chunk: each line break in it sends what precedes it.
      if (input.length > 1 && /[\r\n]/.test(input)) {
        const parts = input.split(/\r\n|\r|\n/);
        parts.forEach((part, i) => {
          if (part !== '') dispatch({ type: 'input/insert', text: part });
          if (i < parts.length - 1) enter();
        });
        return;
      }
      if (key.pageUp) return dispatch({ type: 'scroll', direction: 'up', pageSize });
      if (key.pageDown) return dispatch({ type: 'scroll', direction: 'down', pageSize });
      if (s.scrollOffset > 0 && key.end) return dispatch({ type: 'scroll', direction: 'bottom', pageSize });
      if (key.escape) {
        if (s.scrollOffset > 0) return dispatch({ type: 'scroll', direction: 'bottom', pageSize });
        return dispatch({ type: 'panel', panel: 'none' });
      }
      if (history(key)) return;
      if (key.backspace || key.delete) return dispatch({ type: 'input/backspace' });
      if (key.leftArrow) return dispatch({ type: 'input/move', to: 'left' });
      if (key.rightArrow) return dispatch({ type: 'input/move', to: 'right' });
      if (key.home || (key.ctrl && input === 'a')) return dispatch({ type: 'input/move', to: 'home' });
      if (key.end || (key.ctrl && input === 'e')) return dispatch({ type: 'input/move', to: 'end' });
      if (key.ctrl && input === 'u') return dispatch({ type: 'input/clear' });
      if (key.ctrl || key.meta || key.tab || input === '') return;
      dispatch({ type: 'input/insert', text: input });
    },
    [dispatch, getState, submit, quit, history, rows],
  );
  useInput(onKey);
}
