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
import type { ChatState } from './types.js';

/** Lines kept for the PgUp/PgDn window; the terminal's own scrollback keeps the rest. */
export const MAX_LINES = 5000;

export const EMPTY_LATENCY: LatencySnapshot = {
  rtt: { samples: 0 },
  offsetMs: undefined,
  delivery: { samples: 0 },
  ownRoundTrip: { samples: 0 },
};

export interface InitialStateOptions {
  server: string;
  room: string;
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

export function initialChatState(o: InitialStateOptions): ChatState {
  return {
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
  // a closed panel or scrollback window would leave blank rows where the conversation was.
  if (prev.panel !== 'none' && next.panel !== prev.panel) return true;
  return prev.scrollOffset > 0 && next.scrollOffset === 0;
}

export function chatReducer(s: ChatState, a: ChatAction): ChatState {
  const next = reduce(s, a);
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
      const { cid, nick, text, queuedAt, status } = a.item;
      if (s.pending.some((p) => p.cid === cid)) return s;
      return { ...s, pending: s.pending.concat({ cid, nick, text, queuedAt, status }), scrollOffset: 0 };
    }
    case 'system':
      return system(s, a.text, a.level, a.now);
    case 'nick':
      return a.nick === s.nick ? s : { ...s, nick: a.nick };
    case 'room':
      if (a.room === s.room) return s;
      return {
        ...s,
        room: a.room,
        members: undefined,
        online: undefined,
        truncated: false,
        whoPage: undefined,
        scrollOffset: 0,
      };
    case 'panel':
      if (a.panel === 'none' && s.panel === 'none') return s;
      return { ...s, panel: s.panel === a.panel ? 'none' : a.panel, panelOffset: 0, whoPage: undefined };
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
