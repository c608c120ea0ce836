/**
 * /search as jump-to-hit, as pure transitions: the answer opens the window on
 * the newest hit in the history, Up/Down select the newer/older hit and move
 * the window so its line is the window's bottom row, a hit older than the
 * history is selectable without a jump, older pages append, Enter/Esc close.
 */
import { describe, expect, test } from 'vitest';
import type { ChatAction } from '../../src/tui/state/actions.js';
import { hitPlace, wantsOlderHits } from '../../src/tui/state/search.js';
import type { ChatState, MentionEntry } from '../../src/tui/state/types.js';
import { bindKey } from '../../src/tui/input/key-bindings.js';
import type { Key } from '../../src/tui/input/key-decoder.js';
import { client, msg, reduce, start } from './reducer-support.js';

/** A history of seqs 11..40 (30 lines); the word is in 15, 25 and 35. */
function history(): ChatState {
  const events = [];
  for (let seq = 11; seq <= 40; seq++) {
    const text = seq % 10 === 5 ? `needle ${seq}` : `hay ${seq}`;
    events.push({ kind: 'message' as const, message: msg(seq, 'bob', text), meta: { own: false } });
  }
  return reduce(start(), client(...events));
}

const hit = (seq: number): MentionEntry => ({ room: 'lobby', seq, ts: 500 + seq, nick: 'bob', text: `needle ${seq}` });
const ask: ChatAction = { type: 'search', room: 'lobby', query: 'needle' };
const answer = (seqs: number[], more = false): ChatAction => ({
  type: 'search',
  room: 'lobby',
  query: 'needle',
  hits: seqs.map(hit),
  more,
});
const down: ChatAction = { type: 'search/select', step: 1 };
const up: ChatAction = { type: 'search/select', step: -1 };
/** The seq of the line at the window's bottom row (the newest line when following the stream). */
function bottomSeq(s: ChatState): number | undefined {
  const line = s.lines[s.lines.length - 1 - s.scrollOffset];
  return line?.kind === 'message' ? line.seq : undefined;
}
const selectedSeq = (s: ChatState): number | undefined => s.search?.hits?.[s.search.selected]?.seq;

describe('selecting hits', () => {
  test('the answer selects the newest hit and opens the window on its line', () => {
    const s = reduce(history(), ask, answer([35, 25, 15]));
    expect(s.panel).toBe('search');
    expect(selectedSeq(s)).toBe(35);
    expect(bottomSeq(s)).toBe(35);
    expect(s.scrollOffset).toBe(5);
  });

  test('Down goes to the older hit, Up back; the window follows; the ends stay put', () => {
    let s = reduce(history(), ask, answer([35, 25, 15]));
    s = reduce(s, down);
    expect([selectedSeq(s), bottomSeq(s)]).toEqual([25, 25]);
    s = reduce(s, down);
    expect([selectedSeq(s), bottomSeq(s)]).toEqual([15, 15]);
    expect(reduce(s, down)).toBe(s);
    s = reduce(s, up, up);
    expect([selectedSeq(s), bottomSeq(s)]).toEqual([35, 35]);
    expect(reduce(s, up)).toBe(s);
  });

  test('the newest line as a hit returns the history to live (offset 0)', () => {
    const s = reduce(history(), ask, answer([40, 15]));
    expect(s.scrollOffset).toBe(0);
    expect(bottomSeq(reduce(s, down))).toBe(15);
    expect(reduce(s, down, up).scrollOffset).toBe(0);
  });

  test('selecting another hit does not repaint; new hits do', () => {
    const s = reduce(history(), ask, answer([35, 25, 15]));
    expect(reduce(s, down).paint).toBe(s.paint);
  });
});

describe('hits older than the history', () => {
  test('selectable, no jump, and placed as older', () => {
    let s = reduce(history(), ask, answer([35, 7, 3]));
    expect(bottomSeq(s)).toBe(35);
    const before = s.scrollOffset;
    s = reduce(s, down);
    expect(selectedSeq(s)).toBe(7);
    expect(s.scrollOffset).toBe(before);
    expect(hitPlace(s, s.search!, 7)).toBe('older');
    expect(hitPlace(s, s.search!, 35)).toBe('shown');
    expect(hitPlace({ ...s, room: 'ops' }, s.search!, 35)).toBe('elsewhere');
  });

  test('only old hits: the panel opens, the history stays live', () => {
    const s = reduce(history(), ask, answer([7, 3]));
    expect(selectedSeq(s)).toBe(7);
    expect(s.scrollOffset).toBe(0);
  });

  test('an answer for a search since closed or replaced is dropped', () => {
    const closed = reduce(history(), ask, { type: 'search/close' });
    expect(reduce(closed, answer([35]))).toBe(closed);
    const other = reduce(history(), ask, { type: 'search', room: 'lobby', query: 'hay' });
    expect(reduce(other, answer([35]))).toBe(other);
  });
});

describe('older pages', () => {
  test('Down on the last hit with more wants the page below the oldest hit', () => {
    let s = reduce(history(), ask, answer([35, 25], true));
    expect(wantsOlderHits(s)).toBeUndefined();
    s = reduce(s, down);
    expect(wantsOlderHits(s)).toBe(25);
    s = reduce(s, { type: 'search/paging', before: 25 });
    expect(s.search?.paging).toBe(25);
    expect(wantsOlderHits(s)).toBeUndefined();
    s = reduce(s, { type: 'search/page', room: 'lobby', query: 'needle', before: 25, hits: [hit(25), hit(15)] });
    expect(s.search?.hits?.map((h) => h.seq)).toEqual([35, 25, 15]);
    expect(s.search?.more).toBe(false);
    expect(s.search?.paging).toBeUndefined();
    expect([selectedSeq(s), bottomSeq(s)]).toEqual([15, 15]);
  });

  test('a page for another before, or after a close, is dropped; an error ends the paging', () => {
    let s = reduce(history(), ask, answer([35], true), { type: 'search/paging', before: 35 });
    const stale: ChatAction = { type: 'search/page', room: 'lobby', query: 'needle', before: 99, hits: [hit(25)] };
    expect(reduce(s, stale)).toBe(s);
    s = reduce(s, { type: 'search/page', room: 'lobby', query: 'needle', before: 35, error: 'boom' });
    expect(s.search?.error).toBe('boom');
    expect(s.search?.paging).toBeUndefined();
    expect(s.search?.more).toBe(false);
  });
});

describe('keys in the search panel', () => {
  const key = (name: string): Key => ({ name, ctrl: false, meta: false, shift: false, text: '' });

  test('Up/Down select, Down on the last asks for more, Enter on an empty line and Esc close', () => {
    const s = reduce(history(), ask, answer([35, 25], true));
    expect(bindKey(key('down'), s)).toEqual({ kind: 'action', action: down });
    expect(bindKey(key('up'), s)).toEqual({ kind: 'action', action: up });
    expect(bindKey(key('down'), reduce(s, down))).toEqual({ kind: 'search-older' });
    expect(bindKey(key('return'), s)).toEqual({ kind: 'action', action: { type: 'search/close' } });
    expect(bindKey(key('escape'), s)).toEqual({ kind: 'action', action: { type: 'search/close' } });
    const typed = reduce(s, { type: 'input/insert', text: 'hi' });
    expect(bindKey(key('return'), typed)).toEqual({ kind: 'submit' });
  });

  test('close: the panel goes and the history follows the stream again', () => {
    const s = reduce(history(), ask, answer([35, 25]), down, { type: 'search/close' });
    expect([s.panel, s.search, s.scrollOffset]).toEqual(['none', undefined, 0]);
  });

  test('without the panel Up/Down browse the input history as before', () => {
    const s = reduce(history(), { type: 'input/insert', text: 'x' }, { type: 'input/submit' });
    expect(bindKey(key('up'), s)).toEqual({ kind: 'action', action: { type: 'history/up' } });
  });
});
