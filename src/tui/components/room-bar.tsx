/**
 * The room list: one row above the status bar once the client is in two
 * rooms or more (`1 #lobby │ 2 #ops 3 │ 3 @bob 1!`): the number for Alt+N,
 * the room (a DM as `@peer`), its unread count, and `!` when some of them
 * mention you (every DM message does). The active room is shown inverse.
 *
 * A row rather than a sidebar: history is written once into the terminal's
 * own scrollback (see MessageList), so nothing can stand beside it without
 * redrawing the whole screen on every message.
 */
import { Box, Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import { usePalette } from '../palette.js';
import type { RoomTab } from '../state/types.js';
import { displayWidth, truncateWidth } from '../text/width.js';

export interface RoomBarProps {
  tabs: RoomTab[];
  active: string;
  /** Columns to fit in. */
  width: number;
}

/**
 * The widest a room's name may be in a row of `width` columns: a third of it
 * (at least 12), so one long name (a room may have 64 characters) never
 * pushes the others and `+N` off the row.
 */
export function tabNameMax(width: number): number {
  return Math.max(12, Math.floor(width / 3));
}

/**
 * What the list says about one room: `#ops`, `@bob`, then ` 3` unread and `!`
 * for mentions; a name wider than `maxName` columns (default: no limit) is cut with `…`.
 */
export function tabLabel(tab: RoomTab, place: number, maxName = Infinity): { name: string; count: string } {
  const name = truncateWidth(escapeTerminal(tab.peer === undefined ? `#${tab.room}` : `@${tab.peer}`), maxName);
  const count = tab.unread > 0 ? ` ${tab.unread}${tab.mentions > 0 ? '!' : ''}` : '';
  return { name: `${place <= 9 ? `${place} ` : ''}${name}`, count };
}

const SEPARATOR = ' │ ';

/**
 * The tabs that fit in `width`: all of them when they do; else the active one
 * and the ones with unread messages first (mentions before others), in list
 * order, and `+N` for the rest.
 */
export function fitTabs(tabs: RoomTab[], active: string, width: number): { shown: RoomTab[]; hidden: number } {
  const places = new Map(tabs.map((t, i) => [t.room, i + 1]));
  const full = (t: RoomTab): number => {
    const l = tabLabel(t, places.get(t.room) ?? 0);
    return displayWidth(l.name + l.count) + SEPARATOR.length;
  };
  // The first separator is not drawn: all fit when the row holds the labels whole.
  if (tabs.reduce((n, t) => n + full(t), 0) - SEPARATOR.length <= width) return { shown: tabs, hidden: 0 };
  const max = tabNameMax(width);
  const cost = (t: RoomTab): number => {
    const l = tabLabel(t, places.get(t.room) ?? 0, max);
    return displayWidth(l.name + l.count) + SEPARATOR.length;
  };
  const rank = (t: RoomTab): number => (t.room === active ? 0 : t.mentions > 0 ? 1 : t.unread > 0 ? 2 : 3);
  const byNeed = [...tabs].sort((a, b) => rank(a) - rank(b));
  const keep = new Set<string>();
  let used = 4; // room for " +NN"
  for (const t of byNeed) {
    if (used + cost(t) > width && keep.size > 0) break;
    keep.add(t.room);
    used += cost(t);
  }
  const shown = tabs.filter((t) => keep.has(t.room));
  return { shown, hidden: tabs.length - shown.length };
}

export function RoomBar({ tabs, active, width }: RoomBarProps) {
  const palette = usePalette();
  const fit = Math.max(1, width - 1);
  const { shown, hidden } = fitTabs(tabs, active, fit);
  const maxName = hidden > 0 ? tabNameMax(fit) : Infinity;
  return (
    <Box width={width} flexShrink={0}>
      <Text wrap="truncate-end">
        {shown.map((t, i) => {
          const label = tabLabel(t, tabs.indexOf(t) + 1, maxName);
          const isActive = t.room === active;
          return (
            <Text key={t.room}>
              {i > 0 ? <Text dimColor>{SEPARATOR}</Text> : null}
              <Text
                inverse={isActive}
                bold={isActive || t.unread > 0}
                color={t.peer === undefined ? undefined : palette.color('cyan')}
              >
                {label.name}
              </Text>
              {label.count === '' ? null : (
                <Text bold color={t.mentions > 0 ? palette.color('yellow') : undefined}>
                  {label.count}
                </Text>
              )}
            </Text>
          );
        })}
        {hidden > 0 ? <Text dimColor>{` +${hidden}`}</Text> : null}
      </Text>
    </Box>
  );
}
