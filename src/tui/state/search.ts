/**
 * /search as a jump-to-hit: the hits of a room (newest first, from the
 * server), one of them selected with Up/Down, the history's scrollback window
 * opened on the selected hit's line when that line is still kept in memory.
 * Older hits come a page at a time (Down on the last hit while the server
 * said `more`). Pure: the reducer's search transitions, tested on their own.
 */
import type { ChatAction } from './actions.js';
import type { ChatState, Line, MentionEntry, MessageLineData, SearchState } from './types.js';

type Act<T extends ChatAction['type']> = Extract<ChatAction, { type: T }>;

/** Where a message line with `seq` sits in the active room's history: index into `lines`, or -1. */
export function lineIndexOf(lines: readonly Line[], seq: number): number {
  // Lines are in seq order: a binary search over the message lines would need their positions;
  // a scan from the newest end is short for the hits people look for (recent ones).
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as Line;
    if (line.kind === 'message') {
      if (line.seq === seq) return i;
      if (line.seq < seq) return -1;
    }
  }
  return -1;
}

/** Where the selected hit is, for the panel: in the history, older than it, or in another room's. */
export type HitPlace = 'shown' | 'older' | 'missing' | 'elsewhere';

/** The place of hit `seq` of `search` given the active room and its history. */
export function hitPlace(s: Pick<ChatState, 'room' | 'lines'>, search: SearchState, seq: number): HitPlace {
  if (search.room !== s.room) return 'elsewhere';
  if (lineIndexOf(s.lines, seq) >= 0) return 'shown';
  const oldest = s.lines.find((l): l is MessageLineData => l.kind === 'message');
  return oldest === undefined || seq < oldest.seq ? 'older' : 'missing';
}

/**
 * The scrollOffset that puts hit `seq` on the bottom row of the scrollback
 * window (0, following the stream, when it is the newest line); undefined
 * when the line is not in the active room's history (no jump then).
 */
function offsetOf(s: ChatState, room: string, seq: number): number | undefined {
  if (room !== s.room) return undefined;
  const i = lineIndexOf(s.lines, seq);
  return i < 0 ? undefined : s.lines.length - 1 - i;
}

/** Selects hit `index` and jumps to its line when it is in the history. */
function select(s: ChatState, search: SearchState, index: number): ChatState {
  const hit = search.hits?.[index];
  const next = { ...search, selected: index };
  if (hit === undefined) return { ...s, search: next };
  const scrollOffset = offsetOf(s, search.room, hit.seq);
  return { ...s, search: next, scrollOffset: scrollOffset ?? s.scrollOffset };
}

/** `/search` started (no hits yet) or answered: the panel opens on the newest hit still in the history. */
export function searchStarted(s: ChatState, a: Act<'search'>): ChatState {
  if (a.hits === undefined && a.error === undefined) {
    const search: SearchState = {
      room: a.room,
      query: a.query,
      hits: undefined,
      more: false,
      selected: 0,
      paging: undefined,
    };
    return { ...s, panel: 'search', panelOffset: 0, search };
  }
  // An answer to a search the user has since replaced or closed is dropped.
  if (s.search?.room !== a.room || s.search.query !== a.query || s.search.hits !== undefined) return s;
  const hits = a.hits ?? [];
  const search: SearchState = {
    room: a.room,
    query: a.query,
    hits,
    more: a.more === true,
    selected: 0,
    paging: undefined,
    ...(a.error === undefined ? {} : { error: a.error }),
  };
  const shown = a.room === s.room ? hits.findIndex((h) => lineIndexOf(s.lines, h.seq) >= 0) : -1;
  return shown < 0 ? { ...s, search } : select(s, search, shown);
}

/**
 * Up/Down in the search panel: the previous (newer) or next (older) hit.
 * Down past the last hit changes nothing here: the caller asks for the next
 * page when `more` (see wantsOlderHits).
 */
export function searchSelect(s: ChatState, a: Act<'search/select'>): ChatState {
  const search = s.search;
  const hits = search?.hits;
  if (search === undefined || hits === undefined || hits.length === 0) return s;
  const index = Math.max(0, Math.min(hits.length - 1, search.selected + a.step));
  return index === search.selected ? s : select(s, search, index);
}

/** Down on the last hit while the server has older ones and none are on their way: the `before` to ask. */
export function wantsOlderHits(s: Pick<ChatState, 'search' | 'panel'>): number | undefined {
  const search = s.search;
  const hits = search?.hits;
  if (s.panel !== 'search' || search === undefined || hits === undefined || hits.length === 0) return undefined;
  if (!search.more || search.paging !== undefined || search.selected !== hits.length - 1) return undefined;
  return (hits[hits.length - 1] as MentionEntry).seq;
}

export function searchPaging(s: ChatState, a: Act<'search/paging'>): ChatState {
  const search = s.search;
  if (search === undefined || search.paging !== undefined || search.hits === undefined) return s;
  return { ...s, search: { ...search, paging: a.before } };
}

/** The older page arrived: appended (only hits below `before`, none twice) and the first of them selected. */
export function searchPage(s: ChatState, a: Act<'search/page'>): ChatState {
  const search = s.search;
  if (search?.room !== a.room || search.query !== a.query || search.paging !== a.before) return s;
  const hits = search.hits ?? [];
  if (a.error !== undefined) return { ...s, search: { ...search, paging: undefined, more: false, error: a.error } };
  const known = new Set(hits.map((h) => h.seq));
  const older = (a.hits ?? []).filter((h) => h.seq < a.before && !known.has(h.seq));
  const next: SearchState = {
    ...search,
    hits: hits.concat(older),
    more: a.more === true && older.length > 0,
    paging: undefined,
  };
  const wasLast = search.selected === hits.length - 1;
  return wasLast && older.length > 0 ? select(s, next, hits.length) : { ...s, search: next };
}

/** Enter on an empty line or Esc: the panel closes and the history follows the stream again. */
export function searchClose(s: ChatState): ChatState {
  if (s.panel !== 'search' && s.search === undefined) return s;
  return { ...s, panel: s.panel === 'search' ? 'none' : s.panel, panelOffset: 0, search: undefined, scrollOffset: 0 };
}
