/**
 * The key bindings of the chat screen: editing, history, scrollback, panels,
 * and Ctrl+C to leave.
 */
import { useInput } from 'ink';
import { useInputHistory } from './use-input-history.js';
import { useTerminalSize } from './use-terminal-size.js';
import { scrollPageSize } from '../components/chat-screen.js';
import { useChatActions, useChatState } from '../state/contexts.js';

export function useKeys(): void {
  const s = useChatState();
  const { dispatch, submit, quit } = useChatActions();
  const history = useInputHistory();
  const { rows } = useTerminalSize();
  const pageSize = scrollPageSize(s, rows);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return quit(0);
    if (key.ctrl && input === 'd') {
      if (s.input.value === '') return quit(0);
      return dispatch({ type: 'input/delete' });
    }
    if (key.return) {
      const line = s.input.value;
      dispatch({ type: 'input/submit' });
      submit(line);
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
  });
}
