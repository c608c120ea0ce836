/**
 * The one reducer of the TUI. Pure: the same state and action always give the
 * same next state, so every transition is tested without a terminal.
 */
import type { Via } from '../../protocol/index.js';
import type { ConnectionState, LatencySnapshot } from '../../client/types.js';
import type { ChatAction } from './actions.js';
import { liveLayout } from '../layout.js';
import { appendLines, applyClientEvents } from './client-events.js';
import { inputReducer } from './input-reducer.js';
import { searchClose, searchPage, searchPaging, searchSelect, searchStarted } from './search.js';
import {
  addRoom,
  emptyView,
  markViewed,
  neighbour,
  newTab,
  removeRoom,
  setMarker,
  switchRoom,
  tabOf,
  viewOf,
  withView,
} from './rooms.js';
import type { BellMode, ChatState, RoomTab } from './types.js';

/** Lines kept for the PgUp/PgDn window; the terminal's own scrollback keeps the rest. */
export const MAX_LINES = 5000;

export const EMPTY_LATENCY: LatencySnapshot = {
  rtt: { samples: 0 },
  offsetMs: undefined,
  delivery: { samples: 0 },
  ownRoundTrip: { samples: 0 },
};

/** A room the client starts in, with its read marker when known. */
export interface InitialRoom {
  room: string;
  /** The other account of a DM room. */
  peer?: string;
  /** The read marker (last seq read); default 0. */
  readSeq?: number;
  epoch?: string;
}

export interface InitialStateOptions {
  server: string;
  /** The active room. */
  room: string;
  /** Every room of the list, in order; `room` is added first when missing. Default [room]. */
  rooms?: InitialRoom[];
  /** Default 'mentions'. */
  bell?: BellMode;
  nick: string;
  via: Via;
  /** Default: connecting to `server` via `via`. */
  connection?: ConnectionState;
  /** Default MAX_LINES (5000). */
  maxLines?: number;
  /** Terminal size; default 80 × 24. */
  columns?: number;
  rows?: number;
}

function initialTabs(o: InitialStateOptions): RoomTab[] {
  const rooms = o.rooms ?? [];
  const all = rooms.some((r) => r.room === o.room) ? rooms : [{ room: o.room }, ...rooms];
  return all.map((r) => {
    const tab = newTab(r.room, {
      peer: r.peer,
      ...(r.readSeq === undefined ? {} : { readSeq: r.readSeq }),
      ...(r.epoch === undefined ? {} : { epoch: r.epoch }),
    });
    return tab;
  });
}

export function initialChatState(o: InitialStateOptions): ChatState {
  const tabs = initialTabs(o);
  return {
    tabs,
    parked: Object.fromEntries(tabs.filter((t) => t.room !== o.room).map((t) => [t.room, { ...emptyView() }] as const)),
    bell: o.bell ?? 'mentions',
    notify: false,
    mentionLog: [],
    search: undefined,
    alert: undefined,
    server: o.server,
    room: o.room,
    nick: o.nick,
    via: o.via,
    connection: o.connection ?? { name: 'connecting', via: o.via, server: o.server },
    latency: EMPTY_LATENCY,
    members: undefined,
    online: undefined,
    truncated: false,
    lines: [],
    nextLineId: 1,
    maxLines: o.maxLines ?? MAX_LINES,
    pending: [],
    input: { value: '', cursor: 0 },
    history: [],
    historyIndex: undefined,
    draft: '',
    scrollOffset: 0,
    panel: 'none',
    panelOffset: 0,
    whoPage: undefined,
    paste: undefined,
    columns: o.columns ?? 80,
    rows: o.rows ?? 24,
    paint: 0,
  };
}

function system(s: ChatState, text: string, level: 'info' | 'warn' | 'error', now: number): ChatState {
  return appendLines(s, [{ kind: 'system', id: s.nextLineId, ts: now, level, text }], s.nextLineId + 1);
}

/** Lines written to the terminal stay where they are unless the screen is repainted: */
function repaints(prev: ChatState, next: ChatState): boolean {
  // a width change leaves rows wrapped (and re-wrapped by the terminal) for the old width;
  if (next.columns !== prev.columns) return true;
  // a shrink below the live area's height pushed part of it into the scrollback;
  if (next.rows < prev.rows && liveLayout(prev).height >= next.rows) return true;
  // a closed panel or scrollback window would leave blank rows where the conversation was;
  if (prev.panel !== 'none' && next.panel !== prev.panel) return true;
  // another room's history replaces this one's; search hits are marked in the history.
  if (next.room !== prev.room) return true;
  // (Selecting another hit keeps the marks: only new hits repaint.)
  if (next.search?.hits !== undefined && next.search.hits !== prev.search?.hits && next.search.room === next.room) {
    return true;
  }
  return prev.scrollOffset > 0 && next.scrollOffset === 0;
}

export function chatReducer(s: ChatState, a: ChatAction): ChatState {
  let next = reduce(s, a);
  // What the active room shows at the bottom is read.
  if (next !== s) next = markViewed(next);
  return next !== s && repaints(s, next) ? { ...next, paint: s.paint + 1 } : next;
}

function pageOffset(offset: number, a: Extract<ChatAction, { type: 'panel/page' }>): number {
  const size = Math.max(1, a.pageSize);
  const last = Math.max(0, a.total - size);
  return a.direction === 'down' ? Math.min(last, offset + size) : Math.max(0, Math.min(last, offset - size));
}

function reduce(s: ChatState, a: ChatAction): ChatState {
  switch (a.type) {
    case 'client':
      return applyClientEvents(s, a.events, a.now);
    case 'sent': {
      const { cid, nick, text, queuedAt, status, room } = a.item;
      const view = viewOf(s, room);
      if (tabOf(s, room) === undefined || view.pending.some((p) => p.cid === cid)) return s;
      return withView(s, room, {
        ...view,
        pending: view.pending.concat({ cid, nick, text, queuedAt, status }),
        scrollOffset: 0,
      });
    }
    case 'system':
      return system(s, a.text, a.level, a.now);
    case 'nick':
      return a.nick === s.nick ? s : { ...s, nick: a.nick };
    case 'rooms/add':
      return addRoom(s, a.room, { peer: a.peer, activate: a.activate });
    case 'rooms/remove':
      return removeRoom(s, a.room);
    case 'rooms/switch': {
      if (a.room !== undefined) return switchRoom(s, a.room);
      if (a.index !== undefined) return switchRoom(s, s.tabs[a.index]?.room ?? s.room);
      return a.step === undefined ? s : switchRoom(s, neighbour(s, a.step));
    }
    case 'rooms/marker':
      return setMarker(s, a.room, a.seq, a.epoch);
    case 'bell':
      return a.mode === s.bell ? s : { ...s, bell: a.mode };
    case 'notify':
      return a.on === s.notify ? s : { ...s, notify: a.on };
    case 'search':
      return searchStarted(s, a);
    case 'search/select':
      return searchSelect(s, a);
    case 'search/paging':
      return searchPaging(s, a);
    case 'search/page':
      return searchPage(s, a);
    case 'search/close':
      return searchClose(s);
    case 'panel': {
      if (a.panel === 'none' && s.panel === 'none') return s;
      const panel = s.panel === a.panel ? 'none' : a.panel;
      // Closing the search panel takes the hit marks off the history (the repaint draws it without).
      const search = panel === 'search' ? s.search : undefined;
      return { ...s, panel, panelOffset: 0, whoPage: undefined, search };
    }
    case 'panel/page': {
      const panelOffset = pageOffset(s.panelOffset, a);
      return panelOffset === s.panelOffset ? s : { ...s, panelOffset };
    }
    case 'who/page':
      return s.panel === 'who' ? { ...s, whoPage: a.page } : s;
    case 'resize':
      return a.columns === s.columns && a.rows === s.rows ? s : { ...s, columns: a.columns, rows: a.rows };
    case 'paste/offer': {
      const text = a.text.replace(/\n+$/, '');
      return text === '' ? s : { ...s, paste: { text, lines: text.split('\n').length } };
    }
    case 'paste/close':
      return s.paste === undefined ? s : { ...s, paste: undefined };
    case 'scroll': {
      const page = Math.max(1, a.pageSize);
      const max = Math.max(0, s.lines.length - page);
      const scrollOffset =
        a.direction === 'up'
          ? Math.min(max, s.scrollOffset + page)
          : a.direction === 'down'
            ? Math.max(0, s.scrollOffset - page)
            : 0;
      return scrollOffset === s.scrollOffset ? s : { ...s, scrollOffset };
    }
    default:
      return inputReducer(s, a);
  }
}
