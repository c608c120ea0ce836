/** The room list's fitting: which rooms a narrow row keeps, and that `+N` always shows what it hides. */
import { describe, expect, test } from 'vitest';
import { fitTabs, tabLabel, tabNameMax } from '../../src/tui/components/room-bar.js';
import type { RoomTab } from '../../src/tui/state/types.js';
import { displayWidth } from '../../src/tui/text/width.js';

const tab = (room: string, unread = 0, mentions = 0): RoomTab => ({
  room,
  unread,
  mentions,
  readSeq: 0,
  seenSeq: 0,
  alertedSeq: 0,
  markerAt: undefined,
  opened: true,
});

/** The row as drawn: labels joined by ' │ ', then ' +N'. */
function row(tabs: RoomTab[], active: string, width: number): string {
  const { shown, hidden } = fitTabs(tabs, active, width);
  const max = hidden > 0 ? tabNameMax(width) : Infinity;
  const labels = shown.map((t) => {
    const l = tabLabel(t, tabs.indexOf(t) + 1, max);
    return l.name + l.count;
  });
  return labels.join(' │ ') + (hidden > 0 ? ` +${hidden}` : '');
}

describe('the room list in a narrow row', () => {
  const long = `${'a'.repeat(20)}-very-long-room-name-${'z'.repeat(23)}`;
  const tabs = [tab('lobby'), tab('ops', 8, 1), tab('big', 50), ...['r5', 'r6', 'r7'].map((r) => tab(r)), tab(long)];

  test('a very long active room name is shortened, so +N and the rooms with mentions still show', () => {
    for (const width of [39, 60, 79]) {
      const drawn = row(tabs, long, width);
      expect(displayWidth(drawn)).toBeLessThanOrEqual(width);
      expect(drawn).toMatch(/ \+\d+$/);
      expect(drawn).toContain('#ops 8!');
      expect(drawn).toContain('#aaaa');
    }
  });

  test('names that fit are not cut, and every room shows when the row is wide enough', () => {
    expect(row(tabs.slice(0, 3), 'lobby', 80)).toBe('1 #lobby │ 2 #ops 8! │ 3 #big 50');
    expect(row(tabs, 'lobby', 200)).toContain(`7 #${long}`);
  });
});
