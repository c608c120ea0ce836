/**
 * Wire shapes of read markers (docs/protocol.md 8.4, "Read markers"): how far
 * an account has read a room, kept by the server per account.
 */

/** `POST /rooms/{room}/read` and `GET /rooms/{room}/read` answer. */
export interface ReadEvent {
  type: 'read';
  room: string;
  /** Every message up to this seq is read; 0 when never set (or set in an older epoch). */
  seq: number;
  /** The room's epoch the seq belongs to; absent only for a room that was never used. */
  epoch?: string;
}

/** One entry of `GET /unread`. */
export interface UnreadRoom {
  room: string;
  /** Highest seq stored in the room. */
  head: number;
  /** The account's read marker in the current epoch (0 when none or another epoch). */
  read: number;
  /** head - read: messages after the marker. */
  unread: number;
  epoch: string;
  /** True for a direct-message room; `peer` then names the other account. */
  dm: boolean;
  peer?: string;
}

/**
 * How far someone has read a room: every message up to `seq` (inclusive) in
 * the room's life `epoch`. A marker of another epoch than the room's current
 * one marks nothing as read (the log started over).
 */
export interface ReadMarker {
  /** Highest seq read, >= 0. */
  seq: number;
  /** The room's epoch the seq belongs to. */
  epoch: string;
}

/**
 * The one rule for storing a marker, on the server (every store, atomically)
 * and in the client's state dir: within one epoch a marker only moves forward
 * (a lower seq leaves the stored one); a marker of another epoch replaces it.
 * @returns what is stored after `next` arrives.
 */
export function mergeReadMarker(stored: ReadMarker | undefined, next: ReadMarker): ReadMarker {
  if (stored !== undefined && stored.epoch === next.epoch && stored.seq >= next.seq) return { ...stored };
  return { seq: next.seq, epoch: next.epoch };
}
