/**
 * Everything that can change the TUI state. Client events arrive batched (one
 * `client` action per frame) so a flood of messages costs one render, not one
 * per message.
 */
import type { GapEvent, HelloEvent, MessageEvent, PresenceEvent, ResetEvent, Via } from '../../protocol/index.js';
import type { LatencySnapshot, MessageMeta, OutgoingMessage, StateChange } from '../../client/types.js';
import type { Panel, SystemLevel, WhoPage } from './types.js';

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
  /** The user joined another room: history and members start over. */
  | { type: 'room'; room: string }
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
