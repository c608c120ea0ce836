/**
 * Read markers (docs/protocol.md 8.4, "Read markers"): how far an account
 * has read each room, kept in the identity store so that every client of the
 * account, on any machine, counts unread messages from the same place.
 * Without an account there is nobody to keep them for: `403 forbidden`, and
 * the client keeps them in its state directory instead.
 */
import {
  ProtocolError,
  isRecord,
  parseCursor,
  validateEpoch,
  type ReadEvent,
  type UnreadRoom,
} from '../../protocol/index.js';
import type { RoomState } from '../stores/store.js';
import type { ReadMarker } from '../stores/identity-store.js';
import { readJsonBody, requireJson } from './body.js';
import { dmsOf, requireAccount, type RouteInput } from './dm-routes.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { sendJson } from './respond.js';

/** `/rooms/{room}/read`; the router checks the room name. */
export const READ_PATH_RE = /^\/rooms\/([^/]*)\/read$/;

const NEEDS_ACCOUNT = 'read markers on the server need an account (without one the client keeps them itself)';

/** The marker as it counts now: one of another epoch (or none) reads as seq 0 in the current epoch. */
function current(state: RoomState, marker: ReadMarker | undefined): number {
  return marker !== undefined && marker.epoch === state.epoch ? Math.min(marker.seq, state.head) : 0;
}

/**
 * `GET /rooms/{room}/read` → `{"type":"read","room","seq","epoch"}` (seq 0
 * when never set). `POST {"seq":N,"epoch"?:"E"}` stores it and answers the
 * same: a seq past the head counts as the head, a lower seq than the stored
 * one leaves it (markers never go back), and a seq of another epoch than the
 * room's current one (a client that has not seen the log start over) changes
 * nothing. 403 without an account, 404 for a room the account cannot see.
 */
export async function handleRoomRead(o: RouteInput, room: string): Promise<void> {
  const method = o.req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') throw methodNotAllowed('GET, POST');
  const me = requireAccount(o.principal, NEEDS_ACCOUNT);
  await o.ctx.identity.checkRoom(o.principal, room);
  const store = o.ctx.identity.store;
  if (method === 'GET') {
    const state = await o.ctx.hub.roomState(room);
    const answer: ReadEvent =
      state === undefined
        ? { type: 'read', room, seq: 0 }
        : { type: 'read', room, seq: current(state, await store.getReadMarker(me.name, room)), epoch: state.epoch };
    sendJson(o.res, 200, answer);
    return;
  }
  requireJson(o.req);
  const body = await readJsonBody(o.req);
  if (!isRecord(body)) throw new ProtocolError('bad_request', 'body must be {"seq":N,"epoch"?:"E"}');
  const seq = parseCursor(body.seq, 'seq');
  if (seq === undefined) throw new ProtocolError('bad_request', 'seq is required');
  const epoch = validateEpoch(body.epoch);
  const state = await o.ctx.hub.ensureRoom(room);
  let stored: ReadMarker | undefined;
  if (epoch === undefined || epoch === state.epoch) {
    stored = await store.setReadMarker(me.name, room, { seq: Math.min(seq, state.head), epoch: state.epoch });
  } else {
    stored = await store.getReadMarker(me.name, room);
  }
  const answer: ReadEvent = { type: 'read', room, seq: current(state, stored), epoch: state.epoch };
  sendJson(o.res, 200, answer);
}

/**
 * `GET /unread` → `{"rooms":[UnreadRoom…]}`: every room the account has a
 * marker in, plus its DMs (a DM never read counts all its messages), sorted
 * by room; rooms it can no longer see are left out. 403 without an account.
 */
export async function handleUnread(o: RouteInput): Promise<void> {
  if ((o.req.method ?? 'GET') !== 'GET') throw methodNotAllowed('GET');
  const me = requireAccount(o.principal, NEEDS_ACCOUNT);
  const [markers, dms] = await Promise.all([o.ctx.identity.store.listReadMarkers(me.name), dmsOf(o.ctx, o.principal)]);
  const byRoom = new Map<string, ReadMarker | undefined>(markers.map((m) => [m.room, m]));
  const peers = new Map(dms.map((d) => [d.room, d.peer]));
  for (const d of dms) if (!byRoom.has(d.room)) byRoom.set(d.room, undefined);
  const rooms: UnreadRoom[] = [];
  for (const [room, marker] of byRoom) {
    try {
      await o.ctx.identity.checkRoom(o.principal, room);
    } catch (err) {
      if (err instanceof ProtocolError && err.code === 'not_found') continue;
      throw err;
    }
    const state = await o.ctx.hub.roomState(room);
    if (state === undefined) continue;
    const read = current(state, marker);
    const peer = peers.get(room);
    rooms.push({
      room,
      head: state.head,
      read,
      unread: state.head - read,
      epoch: state.epoch,
      dm: peer !== undefined,
      ...(peer !== undefined && { peer }),
    });
  }
  rooms.sort((a, b) => (a.room < b.room ? -1 : a.room > b.room ? 1 : 0));
  sendJson(o.res, 200, { rooms });
}
