/**
 * `GET /events?rooms=<room cursor list>`: several rooms on one SSE stream
 * (docs/protocol.md 8.4). The same headers, `retry:`, pings, buffer bound and
 * slow-reader rule as `GET /rooms/{room}/events` (it is the same
 * SseConnection); only the `id:` line differs: the stream's whole cursor list.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRoomCursors, validateNick, validateSession, type RoomCursor } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import type { Principal } from '../identity/principal.js';
import { errorEvent } from '../http/respond.js';
import type { SseConnection } from './sse.js';
import { openEventStream } from './sse.js';
import { SseCursorLine } from './sse-cursor-line.js';

/**
 * The rooms of a multi-room stream with the position each resumes from:
 * `Last-Event-ID` (a cursor list the stream itself wrote) wins for the rooms
 * it names with a position; the others keep the query's. Rooms only in
 * `Last-Event-ID` are ignored: the URL says which rooms the reader wants.
 *
 * @param rooms the parsed `rooms=` list.
 * @param lastEventId the header, if any; empty means none.
 * @throws ProtocolError `bad_request` / `invalid_room` (400) for a malformed `Last-Event-ID`.
 */
export function resumeRooms(rooms: readonly RoomCursor[], lastEventId: string | string[] | undefined): RoomCursor[] {
  if (typeof lastEventId !== 'string' || lastEventId === '') return [...rooms];
  const resumed = new Map<string, RoomCursor>();
  for (const c of parseRoomCursors(lastEventId, { name: 'Last-Event-ID' })) resumed.set(c.room, c);
  return rooms.map((c) => {
    const r = resumed.get(c.room);
    // As on the single-room stream, the resumed position comes with its own epoch (or none), never the query's.
    return r?.after === undefined ? c : r;
  });
}

/**
 * Opens the stream for `rooms` (already checked against the principal) and
 * joins them one after another in list order: a room's `hello`, presence and
 * backlog are queued before the next room's `hello`; live events of joined
 * rooms flow meanwhile. A room the store cannot serve ends the stream with an
 * `error` event naming it (the reader reconnects with its Last-Event-ID).
 *
 * @throws ProtocolError `bad_request` / `invalid_nick` (400) for the query's session or nick,
 *   `unavailable` / `too_many` past the connection limits; all before any byte is sent.
 */
export function handleMultiSse(options: {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  rooms: readonly RoomCursor[];
  query: URLSearchParams;
  address: string;
  /** Who the stream speaks for: an account's stream gets DM notices. */
  principal?: Principal | undefined;
}): void {
  const { ctx, query, rooms } = options;
  const nickRaw = query.get('nick');
  const session = validateSession(query.get('session'));
  const nick = nickRaw === null ? undefined : validateNick(nickRaw);
  const conn = openEventStream({ ...options, session, nick, cursorLine: new SseCursorLine(rooms) });
  void joinInOrder(ctx, conn, rooms);
}

async function joinInOrder(ctx: ServerContext, conn: SseConnection, rooms: readonly RoomCursor[]): Promise<void> {
  for (const c of rooms) {
    if (conn.closed) return;
    try {
      await ctx.hub.join(conn, c.room, { after: c.after, epoch: c.epoch });
    } catch (err) {
      conn.fail(errorEvent(err, ctx.logger), c.room);
      return;
    }
    await conn.subs.get(c.room)?.settled();
  }
}
