import type { GapEvent, ResetEvent } from '../../protocol/index.js';
import type { RoomState } from '../stores/store.js';

/** Where a reader starts: an optional reset or gap, then messages after `cursor`. */
export interface StartPosition {
  reset?: ResetEvent;
  gap?: GapEvent;
  /** Last seq the reader is considered to have; messages after it follow. */
  cursor: number;
}

/**
 * PROTOCOL §4, in one place for all transports: no `after` means the last
 * `history` messages; `after` above the head or a foreign `epoch` means
 * `reset` and a replay from the tail; an `after` older than the tail means
 * `gap` up to the tail; `after = 0` starts at the tail silently.
 */
export function resolveStart(
  state: RoomState,
  after: number | undefined,
  epoch: string | undefined,
  history: number,
): StartPosition {
  const fromTail = Math.max(0, state.tail - 1);
  if (after === undefined) {
    return { cursor: Math.max(fromTail, state.head - history) };
  }
  if ((epoch !== undefined && epoch !== state.epoch) || after > state.head) {
    return {
      reset: { type: 'reset', room: state.room, epoch: state.epoch, head: state.head },
      cursor: fromTail,
    };
  }
  if (after === 0) return { cursor: fromTail };
  if (after + 1 < state.tail) {
    return {
      gap: { type: 'gap', room: state.room, from: after + 1, to: state.tail - 1 },
      cursor: fromTail,
    };
  }
  return { cursor: after };
}
