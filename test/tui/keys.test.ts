import { describe, expect, test } from 'vitest';
import { bindKey, type Intent } from '../../src/tui/input/key-bindings.js';
import { KeyDecoder, type Key, type KeyEvent } from '../../src/tui/input/key-decoder.js';
import { planPaste, pasteMessages, PASTE_GUARD_LINES } from '../../src/tui/input/paste-plan.js';
import { chatReducer, initialChatState } from '../../src/tui/state/chat-reducer.js';
import type { ChatState } from '../../src/tui/state/types.js';

function decode(...reads: string[]): KeyEvent[] {
  const out: KeyEvent[] = [];
  const d = new KeyDecoder((e) => out.push(e));
  for (const r of reads) d.write(r);
  d.close();
  return out;
}

/** 'paste:…', or a key as C-/M- modifiers and its name ("text" for typed text). */
function name(e: KeyEvent): string {
  if (e.kind === 'paste') return `paste:${e.text}`;
  return `${e.key.ctrl ? 'C-' : ''}${e.key.meta ? 'M-' : ''}${e.key.name ?? `"${e.key.text}"`}`;
}
const names = (events: KeyEvent[]): string[] => events.map(name);

describe('KeyDecoder', () => {
  test('one read is split into its keys, in order; printable runs stay one text key', () => {
    expect(names(decode('abcd\x7f\x7f'))).toEqual(['"abcd"', 'backspace', 'backspace']);
    expect(names(decode('x\x7f'))).toEqual(['"x"', 'backspace']);
    expect(names(decode('hi😀\x1b[D\x1b[1;5C\x1b\x7f\x17\r'))).toEqual([
      '"hi😀"',
      'left',
      'C-right',
      'M-backspace',
      'C-w',
      'return',
    ]);
    expect(names(decode('\x1b'))).toEqual(['escape']);
  });

  test('bracketed paste: everything between the marks is one paste, even over several reads', () => {
    expect(names(decode('a\x1b[200~one\r\ntwo\x1b[201~b'))).toEqual(['"a"', 'paste:one\ntwo', '"b"']);
    expect(names(decode('\x1b[200~one\r', 'two\rthree', '\x1b[201~'))).toEqual(['paste:one\ntwo\nthree']);
  });

  test('a read with many line breaks and no marks is a paste too; a few are keys', () => {
    expect(names(decode('a\rb\rc\rd\re'))).toEqual(['paste:a\nb\nc\nd\ne']);
    expect(names(decode('a\rb\r'))).toEqual(['"a"', 'return', '"b"', 'return']);
  });
});

const key = (keyName: string | undefined, o: Partial<Key> = {}): Key => ({
  name: keyName,
  text: '',
  ctrl: false,
  meta: false,
  shift: false,
  ...o,
});
const start = (extra: Partial<ChatState> = {}): ChatState => ({
  ...initialChatState({ server: 's', room: 'lobby', nick: 'ann', via: 'ws' }),
  ...extra,
});
const action = (i: Intent): unknown => (i.kind === 'action' ? i.action : i.kind);

describe('bindKey', () => {
  test('editing keys', () => {
    const s = start();
    expect(action(bindKey(key('left', { ctrl: true }), s))).toEqual({ type: 'input/move', to: 'word-left' });
    expect(action(bindKey(key('b', { meta: true }), s))).toEqual({ type: 'input/move', to: 'word-left' });
    expect(action(bindKey(key('backspace', { meta: true }), s))).toEqual({ type: 'input/delete-word-left' });
    expect(action(bindKey(key('d', { meta: true }), s))).toEqual({ type: 'input/delete-word-right' });
    expect(action(bindKey(key('u', { ctrl: true }), s))).toEqual({ type: 'input/clear' });
    expect(action(bindKey(key(undefined, { text: 'é😀' }), s))).toEqual({ type: 'input/insert', text: 'é😀' });
    expect(action(bindKey(key('return'), s))).toBe('submit');
    expect(action(bindKey(key('c', { ctrl: true }), s))).toBe('quit');
    expect(action(bindKey(key('d', { ctrl: true }), s))).toBe('quit');
    expect(action(bindKey(key('tab', { text: '\t' }), s))).toEqual({ type: 'input/complete', direction: 'next' });
    expect(action(bindKey(key('tab', { shift: true }), s))).toEqual({ type: 'input/complete', direction: 'prev' });
  });

  test('PgUp/PgDn page an open panel, else scroll; Esc leaves the window, then closes the panel', () => {
    const line = (i: number) => ({ kind: 'system', id: i + 1, ts: 0, level: 'info', text: `l${i}` }) as const;
    const lines = Array.from({ length: 100 }, (_, i) => line(i));
    const s = start({ rows: 40, lines });
    expect(action(bindKey(key('pageup'), s))).toMatchObject({ type: 'scroll', direction: 'up' });
    const help = { ...s, panel: 'help' } as const;
    expect(action(bindKey(key('pagedown'), help))).toMatchObject({ type: 'panel/page', direction: 'down' });
    expect(action(bindKey(key('escape'), help))).toEqual({ type: 'panel', panel: 'none' });
    const bottom = { type: 'scroll', direction: 'bottom' };
    expect(action(bindKey(key('escape'), { ...help, scrollOffset: 3 }))).toMatchObject(bottom);
    expect(action(bindKey(key('end'), { ...s, scrollOffset: 3 }))).toMatchObject(bottom);
    expect(action(bindKey(key('end'), s))).toEqual({ type: 'input/move', to: 'end' });
  });

  test('while the paste guard asks: Enter, m and Esc answer; other keys do nothing', () => {
    const s = chatReducer(start(), { type: 'paste/offer', text: 'a\nb' });
    expect(bindKey(key('return'), s)).toEqual({ kind: 'send-paste', as: 'lines' });
    expect(bindKey(key(undefined, { text: 'm' }), s)).toEqual({ kind: 'send-paste', as: 'one' });
    expect(action(bindKey(key('escape'), s))).toEqual({ type: 'paste/close' });
    expect(action(bindKey(key(undefined, { text: 'x' }), s))).toBe('none');
    expect(action(bindKey(key('c', { ctrl: true }), s))).toBe('quit');
  });
});

describe('pastes', () => {
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => `l${i + 1}`).join('\n');

  test(`up to ${PASTE_GUARD_LINES} lines are typed; more are held and asked about`, () => {
    const parts = ['l1', 'l2', 'l3', 'l4', 'l5', ''];
    expect(planPaste(lines(PASTE_GUARD_LINES) + '\n')).toEqual({ kind: 'type', parts });
    expect(planPaste(lines(PASTE_GUARD_LINES + 1))).toEqual({ kind: 'ask' });
    expect(planPaste('a\x1b[31mb\x07\tc')).toEqual({ kind: 'type', parts: ['a[31mb\tc'] });
  });

  test('a held paste becomes one message per non-blank line, or one message', () => {
    expect(pasteMessages('a\n\n  \nb\n', 'lines')).toEqual(['a', 'b']);
    expect(pasteMessages('a\n\nb\n\n', 'one')).toEqual(['a\n\nb']);
    expect(pasteMessages('\n \n', 'one')).toEqual([]);
  });
});
