/**
 * The one reducer of the TUI. Pure: the same state and action always give the
 * same next state, so every transition is tested without a terminal.
 */
import type { Via } from '../../protocol/index.js';
import type { ConnectionState, LatencySnapshot } from '../../client/types.js';
import type { ChatAction } from './actions.js';
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
  };
}

function system(s: ChatState, text: string, level: 'info' | 'warn' | 'error', now: number): ChatState {
  return appendLines(s, [{ kind: 'system', id: s.nextLineId, ts: now, level, text }], s.nextLineId + 1);
}

export function chatReducer(s: ChatState, a: ChatAction): ChatState {
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
      return { ...s, room: a.room, members: undefined, scrollOffset: 0 };
    case 'panel':
      return { ...s, panel: s.panel === a.panel ? 'none' : a.panel };
    case 'scroll': {
      const page = Math.max(1, a.pageSize);
      const max = Math.max(0, s.lines.length - page);
      const scrollOffset =
        a.direction === 'up' ? Math.min(max, s.scrollOffset + page)
        : a.direction === 'down' ? Math.max(0, s.scrollOffset - page)
        : 0;
      return scrollOffset === s.scrollOffset ? s : { ...s, scrollOffset };
    }
    default:
      return inputReducer(s, a);
  }
}
