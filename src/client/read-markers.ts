/**
 * Read markers from the client side (docs/protocol.md 8.4, "Read markers").
 * With an account the server keeps them (`markRead`, `getReadMarker`,
 * `getUnread`), so every client of the account counts from one place.
 * Without one, `LocalMarkers` keeps them in the state directory's
 * `markers.json` (`{"<server origin>|<room>": {"seq":N,"epoch":"E"}}`).
 */
import { isRecord, type ReadMarker, type UnreadRoom } from '../protocol/index.js';
import { ClientError } from './errors.js';
import { callJson, type ServerCall } from './http-json.js';

export type { ReadMarker, UnreadRoom };
// Apart so that `rtchat unread` on an open server reads the file without loading undici.
export { LocalMarkers, type RoomMarker } from './local-markers.js';

function asMarker(room: string, body: unknown): ReadMarker {
  if (!isRecord(body) || typeof body.seq !== 'number') {
    throw new ClientError('protocol', `the read marker of ${room} came without a seq`);
  }
  return { seq: body.seq, epoch: typeof body.epoch === 'string' ? body.epoch : '' };
}

function readPath(room: string): string {
  return `/rooms/${encodeURIComponent(room)}/read`;
}

/**
 * `POST /rooms/{room}/read`: marks everything up to `seq` read.
 * @returns the marker the server now holds (never behind one it held; `epoch`
 *   is the room's current one).
 * @throws ClientError `forbidden` without an account, `not_found` for a room
 *   the account cannot see, network codes otherwise.
 */
export async function markRead(r: ServerCall & { room: string; seq: number; epoch?: string }): Promise<ReadMarker> {
  const body = { seq: r.seq, ...(r.epoch !== undefined && { epoch: r.epoch }) };
  const res = await callJson({ ...r, path: readPath(r.room), method: 'POST', body });
  return asMarker(r.room, res.body);
}

/**
 * `GET /rooms/{room}/read`: the account's marker (seq 0 when never set; epoch
 * '' for a room never used). Throws like `markRead`.
 */
export async function getReadMarker(r: ServerCall & { room: string }): Promise<ReadMarker> {
  return asMarker(r.room, (await callJson({ ...r, path: readPath(r.room) })).body);
}

/**
 * `GET /unread`: every room the account has a marker in plus its DMs, with
 * head, read and unread counts, sorted by room.
 * @throws ClientError `forbidden` without an account (use LocalMarkers then).
 */
export async function getUnread(r: ServerCall): Promise<UnreadRoom[]> {
  const { body } = await callJson({ ...r, path: '/unread' });
  const list = isRecord(body) ? body.rooms : undefined;
  if (!Array.isArray(list)) throw new ClientError('protocol', 'GET /unread answered without a list');
  return list.filter(
    (u): u is UnreadRoom =>
      isRecord(u) && typeof u.room === 'string' && typeof u.head === 'number' && typeof u.unread === 'number',
  );
}
