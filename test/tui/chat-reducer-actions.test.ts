import { describe, expect, test } from 'vitest';
import type { ChatAction } from '../../src/tui/state/actions.js';
import type { Line } from '../../src/tui/state/types.js';
import { start, reduce, client, out, member } from './reducer-support.js';

describe('user actions', () => {
  test('system, nick, room, panel', () => {
    let s = reduce(start(), { type: 'system', text: 'hi', level: 'warn', now: 5 });
    expect(s.lines).toEqual([{ kind: 'system', id: 1, ts: 5, level: 'warn', text: 'hi' } satisfies Line]);
    s = reduce(s, { type: 'nick', nick: 'anna' });
    expect(s.nick).toBe('anna');
    s = reduce(
      s,
      client({
        kind: 'presence',
        presence: { type: 'presence', room: 'lobby', version: 1, members: [member('anna')] },
      }),
    );
    s = reduce(s, { type: 'rooms/add', room: 'ops', activate: true });
    expect([s.room, s.members]).toEqual(['ops', undefined]);
    s = reduce(s, { type: 'panel', panel: 'help' });
    expect(s.panel).toBe('help');
    s = reduce(s, { type: 'panel', panel: 'latency' });
    expect(s.panel).toBe('latency');
    s = reduce(s, { type: 'panel', panel: 'latency' });
    expect(s.panel).toBe('none');
    s = reduce(s, { type: 'panel', panel: 'who' }, { type: 'panel', panel: 'none' });
    expect(s.panel).toBe('none');
  });

  test('scroll: by pages, never past the oldest line or below the live end', () => {
    let s = start();
    expect(reduce(s, { type: 'scroll', direction: 'up', pageSize: 5 })).toBe(s);
    s = reduce(
      s,
      ...Array.from({ length: 12 }, (_, i): ChatAction => ({ type: 'system', text: `l${i}`, level: 'info', now: 0 })),
    );
    s = reduce(s, { type: 'scroll', direction: 'up', pageSize: 5 });
    expect(s.scrollOffset).toBe(5);
    s = reduce(s, { type: 'scroll', direction: 'up', pageSize: 5 }, { type: 'scroll', direction: 'up', pageSize: 5 });
    expect(s.scrollOffset).toBe(7);
    s = reduce(s, { type: 'scroll', direction: 'down', pageSize: 5 });
    expect(s.scrollOffset).toBe(2);
    s = reduce(s, { type: 'scroll', direction: 'down', pageSize: 5 });
    expect(s.scrollOffset).toBe(0);
    s = reduce(
      s,
      { type: 'scroll', direction: 'up', pageSize: 5 },
      { type: 'scroll', direction: 'bottom', pageSize: 5 },
    );
    expect(s.scrollOffset).toBe(0);
    // Sending returns to the live end.
    s = reduce(s, { type: 'scroll', direction: 'up', pageSize: 5 }, { type: 'sent', item: out('c1', 'x') });
    expect(s.scrollOffset).toBe(0);
  });

  test('input editing: insert at cursor, move, backspace, delete, clear; pasted newlines become spaces', () => {
    let s = reduce(
      start(),
      { type: 'input/insert', text: 'helo' },
      { type: 'input/move', to: 'left' },
      { type: 'input/insert', text: 'l' },
    );
    expect(s.input).toEqual({ value: 'hello', cursor: 4 });
    s = reduce(
      s,
      { type: 'input/move', to: 'home' },
      { type: 'input/delete' },
      { type: 'input/move', to: 'end' },
      { type: 'input/backspace' },
    );
    expect(s.input).toEqual({ value: 'ell', cursor: 3 });
    expect(reduce(s, { type: 'input/move', to: 'right' })).toBe(s);
    s = reduce(s, { type: 'input/insert', text: 'o\r\nwor\x1bld\x07' });
    expect(s.input.value).toBe('ello world');
    s = reduce(s, { type: 'input/clear' });
    expect(s.input).toEqual({ value: '', cursor: 0 });
    expect(reduce(s, { type: 'input/backspace' })).toBe(s);
    expect(reduce(s, { type: 'input/insert', text: '\x01' })).toBe(s);
  });

  test('history: submit records lines (no blanks, no repeats); Up/Down browse and restore the draft', () => {
    const type = (text: string): ChatAction[] => [{ type: 'input/insert', text }, { type: 'input/submit' }];
    let s = reduce(start(), ...type('one'), ...type('two'), ...type('two'), ...type('   '));
    expect(s.history).toEqual(['one', 'two']);
    expect(s.input.value).toBe('');
    s = reduce(s, { type: 'input/insert', text: 'draft' }, { type: 'history/up' });
    expect(s.input).toEqual({ value: 'two', cursor: 3 });
    s = reduce(s, { type: 'history/up' }, { type: 'history/up' });
    expect(s.input.value).toBe('one');
    s = reduce(s, { type: 'history/down' });
    expect(s.input.value).toBe('two');
    s = reduce(s, { type: 'history/down' });
    expect([s.input.value, s.historyIndex]).toEqual(['draft', undefined]);
    expect(reduce(s, { type: 'history/down' })).toBe(s);
    expect(reduce(start(), { type: 'history/up' }).input.value).toBe('');
  });
});
