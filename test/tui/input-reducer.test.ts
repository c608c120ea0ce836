import { describe, expect, test } from 'vitest';
import type { ChatAction } from '../../src/tui/state/actions.js';
import { chatReducer, initialChatState } from '../../src/tui/state/chat-reducer.js';
import type { ChatState } from '../../src/tui/state/types.js';

const reduce = (s: ChatState, ...actions: ChatAction[]): ChatState => actions.reduce(chatReducer, s);
const typed = (text: string, cursor = text.length): ChatState => ({
  ...initialChatState({ server: 's', room: 'lobby', nick: 'ann', via: 'ws' }),
  input: { value: text, cursor },
});
const FAMILY = '👨‍👩‍👧';

describe('input editing by grapheme cluster', () => {
  test.each([
    ['hi😀', 'hi'],
    [`ok${FAMILY}`, 'ok'],
    ['cafe\u0301', 'caf'],
    ['go🇫🇷', 'go'],
  ])('Backspace after %j leaves %j, never half a character', (text, left) => {
    expect(reduce(typed(text), { type: 'input/backspace' }).input).toEqual({ value: left, cursor: left.length });
  });

  test('Left, Right and Delete step over whole clusters', () => {
    let s = reduce(typed(`a😀${FAMILY}b`), { type: 'input/move', to: 'left' }, { type: 'input/move', to: 'left' });
    expect(s.input.cursor).toBe(3);
    s = reduce(s, { type: 'input/insert', text: 'x' });
    expect(s.input).toEqual({ value: `a😀x${FAMILY}b`, cursor: 4 });
    s = reduce(s, { type: 'input/delete' });
    expect(s.input).toEqual({ value: 'a😀xb', cursor: 4 });
    const right = { type: 'input/move', to: 'right' } as const;
    s = reduce(s, { type: 'input/move', to: 'home' }, right, right);
    expect(s.input.cursor).toBe(3);
  });

  test('a joiner typed between two emoji fuses them; the cursor stays on a boundary', () => {
    const s = reduce(typed('👨👩', 2), { type: 'input/insert', text: '\u200d' });
    expect(s.input).toEqual({ value: '👨\u200d👩', cursor: 5 });
  });

  test('word moves and word deletes', () => {
    let s = reduce(typed('one two three'), { type: 'input/move', to: 'word-left' });
    expect(s.input.cursor).toBe(8);
    s = reduce(s, { type: 'input/delete-word-left' });
    expect(s.input).toEqual({ value: 'one three', cursor: 4 });
    s = reduce(s, { type: 'input/delete-word-right' });
    expect(s.input).toEqual({ value: 'one ', cursor: 4 });
    s = reduce(s, { type: 'input/move', to: 'home' }, { type: 'input/move', to: 'word-right' });
    expect(s.input.cursor).toBe(3);
  });
});
