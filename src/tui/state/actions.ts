/**
 * Everything that can change the TUI state. Client events arrive batched (one
 * `client` action per frame) so a flood of messages costs one render, not one
 * per message.
 */
import type { GapEvent, HelloEvent, MessageEvent, PresenceEvent, ResetEvent, Via } from '../../protocol/index.js';
import type { LatencySnapshot, MessageMeta, OutgoingMessage, StateChange } from '../../client/types.js';
import type { BellMode, MentionEntry, Panel, SystemLevel, WhoPage } from './types.js';

/** One ChatClient event, recorded for the next batch. */
export type ClientEvent =
  | { kind: 'state'; change: StateChange }
  | { kind: 'hello'; hello: HelloEvent }
  | { kind: 'message'; message: MessageEvent; meta: MessageMeta }
  | { kind: 'presence'; presence: PresenceEvent }
  | { kind: 'gap'; gap: GapEvent }
  | { kind: 'reset'; reset: ResetEvent }
  | { kind: 'outbox'; item: OutgoingMessage }
  | { kind: 'latency'; latency: LatencySnapshot }
  | { kind: 'via'; from: Via | undefined; to: Via }
  | { kind: 'warning'; text: string };

export type ChatAction =
  /** A batch of client events; `now` stamps the system lines they produce. */
  | { type: 'client'; events: ClientEvent[]; now: number }
  /** The user sent a message; it shows as pending until seen in the stream. */
  | { type: 'sent'; item: OutgoingMessage }
  | { type: 'system'; text: string; level: SystemLevel; now: number }
  | { type: 'nick'; nick: string }
  /** A room joins the list (a DM with its peer); `activate` switches to it. */
  | { type: 'rooms/add'; room: string; peer?: string; activate: boolean }
  /** A room leaves the list; the active one hands over to its neighbour. */
  | { type: 'rooms/remove'; room: string }
  /** Alt+1..9 (`index` from 0), Ctrl+N/P (`step`), /switch (`room`). */
  | { type: 'rooms/switch'; room?: string; index?: number; step?: 1 | -1 }
  /** A room's read marker as stored (loaded, or saved by the client). */
  | { type: 'rooms/marker'; room: string; seq: number; epoch?: string }
  | { type: 'bell'; mode: BellMode }
  | { type: 'notify'; on: boolean }
  /** /search started (hits undefined) or answered. */
  | { type: 'search'; room: string; query: string; hits?: MentionEntry[]; more?: boolean; error?: string }
  /** Up (-1, a newer hit) / Down (+1, an older one) in the search panel. */
  | { type: 'search/select'; step: 1 | -1 }
  /** Older hits were asked for: those below `before` (the oldest hit's seq). */
  | { type: 'search/paging'; before: number }
  /** The answer for older hits below `before`: appended to the hits (or an error). */
  | {
      type: 'search/page';
      room: string;
      query: string;
      before: number;
      hits?: MentionEntry[];
      more?: boolean;
      error?: string;
    }
  /** Enter on an empty line or Esc in the search panel: it closes and the history returns to live. */
  | { type: 'search/close' }
  | { type: 'panel'; panel: Panel }
  /** PgUp/PgDn while a panel is open: `total` entries, `pageSize` a page. */
  | { type: 'panel/page'; direction: 'up' | 'down'; pageSize: number; total: number }
  | { type: 'who/page'; page: WhoPage }
  | { type: 'scroll'; direction: 'up' | 'down' | 'bottom'; pageSize: number }
  /** The terminal was resized. */
  | { type: 'resize'; columns: number; rows: number }
  /** A paste too long to send unasked: the paste guard asks how to send it. */
  | { type: 'paste/offer'; text: string }
  /** The paste guard was answered (the caller sends the paste, or not). */
  | { type: 'paste/close' }
  | { type: 'input/insert'; text: string }
  | { type: 'input/backspace' }
  | { type: 'input/delete' }
  /** Alt+Backspace, Ctrl+W / Alt+D: the word before / after the cursor goes. */
  | { type: 'input/delete-word-left' }
  | { type: 'input/delete-word-right' }
  | { type: 'input/move'; to: 'left' | 'right' | 'word-left' | 'word-right' | 'home' | 'end' }
  /** Ctrl+U: the whole line goes. */
  | { type: 'input/clear' }
  | { type: 'history/up' }
  | { type: 'history/down' }
  /** Tab (`next`) / Shift+Tab (`prev`): completes the word before the cursor, or cycles on. */
  | { type: 'input/complete'; direction: 'next' | 'prev' }
  /** Enter: the line goes into history and the input empties. */
  | { type: 'input/submit' };
