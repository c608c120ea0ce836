import { describe, expect, test } from 'vitest';
import {
  graphemes,
  nextBoundary,
  nextWord,
  prevBoundary,
  prevWord,
  snapBoundary,
} from '../../src/tui/text/graphemes.js';
import { inputView } from '../../src/tui/text/input-view.js';
import { cells, displayWidth, truncateWidth } from '../../src/tui/text/width.js';
import { wrapRows } from '../../src/tui/text/wrap.js';

const FAMILY = '👨‍👩‍👧';
const ACCENT = 'e\u0301';

describe('grapheme clusters', () => {
  test('emoji, families, flags and combining accents are one cluster each', () => {
    expect(graphemes(`a😀${FAMILY}🇫🇷${ACCENT}日`)).toEqual(['a', '😀', FAMILY, '🇫🇷', ACCENT, '日']);
  });

  test('boundaries step over whole clusters and snap into them', () => {
    const s = `x${FAMILY}y`;
    expect(nextBoundary(s, 1)).toBe(1 + FAMILY.length);
    expect(prevBoundary(s, 1 + FAMILY.length)).toBe(1);
    expect(prevBoundary(s, 0)).toBe(0);
    expect(nextBoundary(s, s.length)).toBe(s.length);
    expect(snapBoundary(s, 3)).toBe(1 + FAMILY.length);
    expect(snapBoundary(s, 1)).toBe(1);
  });

  test('words: moves skip spaces and punctuation, like readline', () => {
    const s = 'one, two  three';
    expect(prevWord(s, s.length)).toBe(10);
    expect(prevWord(s, 10)).toBe(5);
    expect(prevWord(s, 2)).toBe(0);
    expect(nextWord(s, 0)).toBe(3);
    expect(nextWord(s, 3)).toBe(8);
    expect(nextWord(s, 14)).toBe(s.length);
  });
});

describe('display width', () => {
  test('wide characters take two columns, joiners and accents none', () => {
    expect([displayWidth('hi😀'), displayWidth(FAMILY), displayWidth(ACCENT), displayWidth('日本')]).toEqual([
      4, 2, 1, 4,
    ]);
    expect(cells(`a${FAMILY}`)).toEqual([
      { text: 'a', width: 1 },
      { text: FAMILY, width: 2 },
    ]);
  });

  test('truncation never cuts a cluster and counts the ellipsis', () => {
    expect(truncateWidth('日本語です', 5)).toBe('日本…');
    expect(truncateWidth(`ab${FAMILY}cd`, 4)).toBe('ab…');
    expect(truncateWidth('short', 10)).toBe('short');
  });
});

describe('wrapRows', () => {
  const rows = (text: string, first: number, rest = first): string[] =>
    wrapRows(text, { first, rest }).map((r) => text.slice(r.start, r.end));

  test('breaks at the last space that fits, and at line breaks', () => {
    expect(rows('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(rows('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(rows('first row then more', 9, 5)).toEqual(['first row', 'then', 'more']);
  });

  test('a word longer than a row is split between clusters, by width', () => {
    expect(rows('日本語日本語', 5)).toEqual(['日本', '語日', '本語']);
    expect(rows(`${FAMILY}${FAMILY}${FAMILY}`, 3)).toEqual([FAMILY, FAMILY, FAMILY]);
  });

  test('every row fits its width', () => {
    const text = 'Lorem ipsum 😀 dolor sit amet, 日本語 consectetur adipiscing elit, sed do eiusmod tempor';
    for (const width of [5, 8, 13, 21]) {
      for (const r of rows(text, width)) expect(displayWidth(r)).toBeLessThanOrEqual(width);
    }
  });
});

describe('inputView', () => {
  test('a line that fits is shown whole, the cursor on a whole cluster', () => {
    expect(inputView('ab😀c', 2, 20)).toEqual({ before: 'ab', at: '😀', after: 'c' });
    expect(inputView('ab', 2, 20)).toEqual({ before: 'ab', at: ' ', after: '' });
  });

  test('a longer line scrolls to keep the cursor in view, marking cut sides', () => {
    const line = 'abcdefghijklmnopqrstuvwxyz';
    const end = inputView(line, line.length, 10);
    expect(end).toEqual({ before: '…tuvwxyz', at: ' ', after: '' });
    const start = inputView(line, 0, 10);
    expect(start.before).toBe('');
    expect(start.after.endsWith('…')).toBe(true);
    for (const at of [0, 5, 13, 26]) {
      const v = inputView(line, at, 10);
      expect(displayWidth(v.before + v.at + v.after)).toBeLessThanOrEqual(10);
    }
  });

  test('control and bidi characters are shown escaped', () => {
    expect(inputView('a\u202eb', 3, 20).before).toBe('a\\u202eb');
  });
});
