/**
 * The input line and its history (Up/Down), as pure state transitions.
 */
import type { ChatAction } from './actions.js';
import type { ChatState } from './types.js';

/** Older submitted lines are forgotten past this. */
export const HISTORY_MAX = 500;

type InputAction = Extract<ChatAction, { type: `input/${string}` | `history/${string}` }>;

/** Pasted newlines become spaces and other control characters go: the line is one line. */
function cleanTyped(text: string): string {
  // eslint-disable-next-line no-control-regex -- typed control characters are dropped on purpose
  return text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function edit(s: ChatState, value: string, cursor: number): ChatState {
  return { ...s, input: { value, cursor }, historyIndex: undefined };
}

function recall(s: ChatState, index: number | undefined, draft: string): ChatState {
  const value = index === undefined ? draft : (s.history[index] ?? '');
  return { ...s, historyIndex: index, draft, input: { value, cursor: value.length } };
}

export function inputReducer(s: ChatState, a: InputAction): ChatState {
  const { value, cursor } = s.input;
  switch (a.type) {
    case 'input/insert': {
      const t = cleanTyped(a.text);
      if (t === '') return s;
      return edit(s, value.slice(0, cursor) + t + value.slice(cursor), cursor + t.length);
    }
    case 'input/backspace':
      if (cursor === 0) return s;
      return edit(s, value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
    case 'input/delete':
      if (cursor >= value.length) return s;
      return edit(s, value.slice(0, cursor) + value.slice(cursor + 1), cursor);
    case 'input/move': {
      const to =
        a.to === 'left' ? Math.max(0, cursor - 1)
        : a.to === 'right' ? Math.min(value.length, cursor + 1)
        : a.to === 'home' ? 0
        : value.length;
      return to === cursor ? s : { ...s, input: { value, cursor: to } };
    }
    case 'input/clear':
      return edit(s, '', 0);
    case 'history/up': {
      if (s.history.length === 0) return s;
      if (s.historyIndex === undefined) return recall(s, s.history.length - 1, value);
      return recall(s, Math.max(0, s.historyIndex - 1), s.draft);
    }
    case 'history/down': {
      if (s.historyIndex === undefined) return s;
      const next = s.historyIndex + 1;
      return recall(s, next >= s.history.length ? undefined : next, s.draft);
    }
    case 'input/submit': {
      const line = value.trim();
      let history = s.history;
      if (line !== '' && history[history.length - 1] !== line) {
        history = history.concat(line);
        if (history.length > HISTORY_MAX) history = history.slice(history.length - HISTORY_MAX);
      }
      return { ...s, history, historyIndex: undefined, draft: '', input: { value: '', cursor: 0 } };
    }
  }
}
