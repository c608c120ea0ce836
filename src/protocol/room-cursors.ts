/**
 * The room cursor list of the multi-room SSE stream and long poll
 * (docs/protocol.md 8.4): items joined by `,`, each `ROOM[:AFTER[:EPOCH]]`,
 * e.g. `lobby:41:e3f1a2b3c4d5e6f7,ops:7,dev`. Rooms match the room regex,
 * so `:` and `,` never occur inside one; an epoch containing either is refused.
 *
 * A minimal client-side version: the server's parser (with the room limit and
 * its errors) replaces this file at merge, keeping these exported names.
 */
import { ProtocolError } from './errors.js';
import { validateRoom } from './validate.js';

/** One room of a cursor list: no `after` means "from its recent history". */
export interface RoomCursor {
  room: string;
  /** Last seq seen, >= 0. */
  after?: number;
  /** The epoch `after` belongs to (only with `after`). */
  epoch?: string;
}

/**
 * Parses a cursor list.
 * @throws ProtocolError `bad_request` for an empty item, a bad seq, a room twice or an epoch without a seq;
 *   `invalid_room` for a room that does not match the room regex.
 */
export function parseRoomCursors(text: string): RoomCursor[] {
  const seen = new Set<string>();
  return text.split(',').map((item) => {
    const [room, after, epoch, ...rest] = item.split(':');
    if (rest.length > 0 || room === undefined || room === '')
      throw new ProtocolError('bad_request', `bad room cursor "${item.slice(0, 80)}"`);
    const name = validateRoom(room);
    if (seen.has(name)) throw new ProtocolError('bad_request', `room ${name} listed twice`);
    seen.add(name);
    if (after === undefined) return { room: name };
    if (!/^\d{1,15}$/.test(after)) throw new ProtocolError('bad_request', `bad seq in room cursor "${item}"`);
    const cursor: RoomCursor = { room: name, after: Number(after) };
    if (epoch !== undefined && epoch !== '') cursor.epoch = epoch;
    return cursor;
  });
}

/**
 * Formats a cursor list (the inverse of parseRoomCursors). An `epoch` without
 * `after` is left out: it would mean nothing to the server.
 * @throws ProtocolError `bad_request` when an epoch contains `:` or `,`.
 */
export function formatRoomCursors(list: readonly RoomCursor[]): string {
  return list
    .map((c) => {
      if (c.after === undefined) return c.room;
      if (c.epoch === undefined) return `${c.room}:${c.after}`;
      if (/[:,]/.test(c.epoch)) throw new ProtocolError('bad_request', `epoch ${c.epoch} cannot be listed`);
      return `${c.room}:${c.after}:${c.epoch}`;
    })
    .join(',');
}
