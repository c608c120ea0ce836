/**
 * The input line and its history (Up/Down), as pure state transitions. The
 * cursor moves and deletes by grapheme cluster (and by word), so an emoji, a
 * family 👨‍👩‍👧 or a letter with a combining accent goes as a whole.
 */
import { completeStep } from '../input/complete.js';
import { completionSources } from '../input/completion-sources.js';
import { nextBoundary, nextWord, prevBoundary, prevWord, snapBoundary } from '../text/graphemes.js';
import type { ChatAction } from './actions.js';
import type { ChatState } from './types.js';

/** Older submitted lines are forgotten past this. */
export const HISTORY_MAX = 1000;

type InputAction = Extract<ChatAction, { type: `input/${string}` | `history/${string}` }>;

/** Line breaks become spaces and other control characters go: the input is one line. */
export function cleanTyped(text: string): string {
  // eslint-disable-next-line no-control-regex -- typed control characters are dropped on purpose
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function edit(s: ChatState, value: string, cursor: number): ChatState {
  return { ...s, input: { value, cursor }, historyIndex: undefined };
}

/** Removes value[from, to) and leaves the cursor at `from`. */
function cut(s: ChatState, from: number, to: number): ChatState {
  if (from === to) return s;
  const { value } = s.input;
  return edit(s, value.slice(0, from) + value.slice(to), from);
}

function recall(s: ChatState, index: number | undefined, draft: string): ChatState {
  const value = index === undefined ? draft : (s.history[index] ?? '');
  return { ...s, historyIndex: index, draft, input: { value, cursor: value.length } };
}

function target(value: string, cursor: number, to: Extract<InputAction, { type: 'input/move' }>['to']): number {
  switch (to) {
    case 'left':
      return prevBoundary(value, cursor);
    case 'right':
      return nextBoundary(value, cursor);
    case 'word-left':
      return prevWord(value, cursor);
    case 'word-right':
      return nextWord(value, cursor);
    case 'home':
      return 0;
    case 'end':
      return value.length;
  }
}

/** Tab and Shift+Tab: the line shows the next (previous) candidate; nothing completes, nothing changes. */
function complete(s: ChatState, direction: 'next' | 'prev'): ChatState {
  const cycle = completeStep(s.input, s.completion, direction, completionSources(s));
  if (cycle === undefined) return s;
  return { ...s, input: cycle.shown, completion: cycle, historyIndex: undefined };
}

export function inputReducer(state: ChatState, a: InputAction): ChatState {
  if (a.type === 'input/complete') return complete(state, a.direction);
  // Any other key accepts the completion on screen: the cycle ends.
  const s = state.completion === undefined ? state : { ...state, completion: undefined };
  const { value, cursor } = s.input;
  switch (a.type) {
    case 'input/insert': {
      const t = cleanTyped(a.text);
      if (t === '') return s;
      const next = value.slice(0, cursor) + t + value.slice(cursor);
      // A joiner or a combining mark may fuse with what follows: stay on a cluster boundary.
      return edit(s, next, snapBoundary(next, cursor + t.length));
    }
    case 'input/backspace':
      return cut(s, prevBoundary(value, cursor), cursor);
    case 'input/delete':
      return cut(s, cursor, nextBoundary(value, cursor));
    case 'input/delete-word-left':
      return cut(s, prevWord(value, cursor), cursor);
    case 'input/delete-word-right':
      return cut(s, cursor, nextWord(value, cursor));
    case 'input/move': {
      const to = target(value, cursor, a.to);
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
