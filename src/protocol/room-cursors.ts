/**
 * The room cursor list of the multi-room SSE stream and long poll
 * (docs/protocol.md 8.4, "Several rooms on one stream"): items joined by
 * `,`, each `ROOM[:AFTER[:EPOCH]]`, e.g. `lobby:41:e3f1a2b3c4d5e6f7,ops:7:9ac2…,dev`.
 * Shared by the server (the `rooms=` query, `Last-Event-ID`, the poll's
 * `cursor`) and the client, so both read and write one format.
 *
 * Room names match ROOM_RE, so `:` and `,` never occur in them; an epoch
 * holding either cannot be written and is refused.
 */
import { ProtocolError } from './errors.js';
import { ROOM_RE } from './limits.js';

/** One room of a cursor list: no `after` means "start from the room's recent history". */
export interface RoomCursor {
  room: string;
  /** Last seq the reader has (a non-negative safe integer). */
  after?: number;
  /** The room's epoch the `after` belongs to (1..128 visible ASCII characters but `:` and `,`); only with `after`. */
  epoch?: string;
}

export interface ParseRoomCursorsOptions {
  /** More items than this is `too_many` (429). Default: no bound. */
  maxRooms?: number;
  /** What the list is called in error messages. Default `rooms`. */
  name?: string;
}

const AFTER_RE = /^\d{1,16}$/;
/** Visible ASCII but `,` (0x2c) and `:` (0x3a): nothing that could end an SSE `id:` line or an item. */
const EPOCH_RE = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]{1,128}$/;
const EPOCH_MESSAGE = "must be 1-128 visible ASCII characters without ':' or ','";
const ROOM_MESSAGE = 'must match ^[a-z0-9][a-z0-9_-]{0,63}$';

/**
 * Parses a room cursor list, strictly: no empty list, item, room, AFTER or
 * EPOCH; no room twice.
 *
 * @returns the items in list order.
 * @throws ProtocolError `bad_request` (400) for a malformed list or a room given twice,
 *   `invalid_room` (400) for a room name outside ROOM_RE, `too_many` (429) past `maxRooms`.
 */
export function parseRoomCursors(text: string, options: ParseRoomCursorsOptions = {}): RoomCursor[] {
  const name = options.name ?? 'rooms';
  if (text === '') throw new ProtocolError('bad_request', `${name} must list at least one room`);
  const items = text.split(',');
  // Counted before anything else: a huge list costs no parsing.
  if (options.maxRooms !== undefined && items.length > options.maxRooms) {
    throw new ProtocolError('too_many', `${name} may list at most ${options.maxRooms} rooms`);
  }
  const seen = new Set<string>();
  const out: RoomCursor[] = [];
  for (const item of items) {
    const parts = item.split(':');
    if (item === '' || parts.length > 3) {
      throw new ProtocolError('bad_request', `${name}: each item must be ROOM[:AFTER[:EPOCH]]`);
    }
    const room = parts[0]!;
    if (!ROOM_RE.test(room)) throw new ProtocolError('invalid_room', `${name}: room ${ROOM_MESSAGE}`);
    if (seen.has(room)) throw new ProtocolError('bad_request', `${name}: room ${room} is listed twice`);
    seen.add(room);
    const cursor: RoomCursor = { room };
    if (parts.length > 1) cursor.after = parseAfter(parts[1]!, name, room);
    if (parts.length > 2) {
      const epoch = parts[2]!;
      if (!EPOCH_RE.test(epoch)) {
        throw new ProtocolError('bad_request', `${name}: the epoch of ${room} ${EPOCH_MESSAGE}`);
      }
      cursor.epoch = epoch;
    }
    out.push(cursor);
  }
  return out;
}

function parseAfter(text: string, name: string, room: string): number {
  const n = AFTER_RE.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new ProtocolError('bad_request', `${name}: the position of ${room} must be a non-negative integer`);
  }
  return n;
}

/** One item, `ROOM[:AFTER[:EPOCH]]`; an epoch without `after` is left out (it means nothing alone). */
export function formatRoomCursor(c: RoomCursor): string {
  if (c.after === undefined) return c.room;
  if (c.epoch === undefined || c.epoch === '') return `${c.room}:${c.after}`;
  return `${c.room}:${c.after}:${c.epoch}`;
}

/**
 * Writes a room cursor list, the inverse of parseRoomCursors.
 *
 * @throws ProtocolError `bad_request` for an empty list, a bad room, a
 *   negative or fractional `after`, or an epoch holding `:` or `,` (which the
 *   format cannot carry).
 */
export function formatRoomCursors(list: readonly RoomCursor[]): string {
  if (list.length === 0) throw new ProtocolError('bad_request', 'a room cursor list needs at least one room');
  const parts: string[] = [];
  for (const c of list) {
    if (!ROOM_RE.test(c.room)) throw new ProtocolError('bad_request', `room ${ROOM_MESSAGE}`);
    if (c.after !== undefined && (!Number.isSafeInteger(c.after) || c.after < 0)) {
      throw new ProtocolError('bad_request', `the position of ${c.room} must be a non-negative integer`);
    }
    if (c.after !== undefined && c.epoch !== undefined && c.epoch !== '' && !EPOCH_RE.test(c.epoch)) {
      throw new ProtocolError('bad_request', `the epoch of ${c.room} ${EPOCH_MESSAGE}`);
    }
    parts.push(formatRoomCursor(c));
  }
  return parts.join(',');
}

/**
 * Parses the multi-room poll's `pv` list, `ROOM:VERSION,…` (presence
 * versions the client has seen). Rooms outside the poll are the caller's to
 * ignore.
 *
 * @throws ProtocolError `bad_request` for a malformed item or a room listed twice.
 */
export function parsePresenceVersions(text: string): Map<string, number> {
  const out = new Map<string, number>();
  if (text === '') return out;
  for (const item of text.split(',')) {
    const parts = item.split(':');
    if (parts.length !== 2 || !ROOM_RE.test(parts[0]!)) {
      throw new ProtocolError('bad_request', 'pv: each item must be ROOM:VERSION');
    }
    const room = parts[0]!;
    if (out.has(room)) throw new ProtocolError('bad_request', `pv: room ${room} is listed twice`);
    out.set(room, parseAfter(parts[1]!, 'pv', room));
  }
  return out;
}
