import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  LIMITS,
  ProtocolError,
  ROOM_RE,
  parseCursor,
  parseRoomCursors,
  type PresenceEvent,
  type RoomCursor,
  validateSendBody,
  type PongEvent,
  type RoomSummary,
} from '../../protocol/index.js';
import { acceptMessage } from '../accept-message.js';
import type { ServerContext } from '../context.js';
import type { Hub } from '../hub.js';
import { handleLongPoll } from '../transports/long-polling.js';
import { handleMultiLongPoll } from '../transports/multi-long-polling.js';
import { handleSse } from '../transports/sse.js';
import { handleMultiSse, resumeRooms } from '../transports/sse-multi.js';
import { guardPoll, guardPolls, guardSend, guardStream, guardStreams } from '../identity/request-guard.js';
import { discardBody, readJsonBody, requireJson } from './body.js';
import { handleDms } from './dm-routes.js';
import { MethodNotAllowed, methodNotAllowed } from './method-not-allowed.js';
import { handleRoomRead, handleUnread, READ_PATH_RE } from './read-routes.js';
import { redactUrl } from './redact.js';
import { handleSearch } from './search-route.js';
import { sendError, sendJson, sendJsonText } from './respond.js';

const ROOM_PATH_RE = /^\/rooms\/([^/]*)\/(messages|events|presence|search)$/;

/**
 * Every plain HTTP request. Errors thrown anywhere below become the
 * contract's JSON error; nothing escapes to crash the process.
 */
export async function handleRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Resolved once: budgets, connection limits and logs must all see the same client.
  const address = ctx.clientAddresses.resolve(req);
  if (ctx.logger.isLevelEnabled('debug')) {
    // Credentials in the query (browsers' EventSource and WebSocket) never reach the log.
    res.once('finish', () =>
      ctx.logger.debug({ method: req.method, url: redactUrl(req.url), status: res.statusCode }, 'request'),
    );
  }
  if (ctx.cors?.handle(req, res)) return;
  try {
    await route(ctx, req, res, address);
  } catch (err) {
    const headers: Record<string, string> = {};
    if (err instanceof MethodNotAllowed) headers.Allow = err.allow;
    // Past a resource limit the client gets its answer and the socket back.
    if (err instanceof ProtocolError && (err.code === 'too_many' || err.code === 'unavailable'))
      headers.Connection = 'close';
    // Most refusals come before the body is read (413 from Content-Length, 415, 401, 503): read the rest
    // first, or a proxy still writing it sees a reset, not our answer. A body too big even for that
    // must not be parsed as the next request.
    if (!(await discardBody(req))) headers.Connection = 'close';
    if (err instanceof ProtocolError) {
      ctx.logger.debug({ address, method: req.method, code: err.code }, 'request refused');
    }
    sendError(res, err, ctx.logger, headers);
  }
}

async function route(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, address: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const query = url.searchParams;
  const method = req.method ?? 'GET';
  const hub = ctx.hub;

  if (path === '/healthz') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed('GET');
    if (hub.closing || ctx.draining) throw new ProtocolError('shutting_down', 'server is shutting down');
    sendJsonText(res, 200, '{"ok":true}');
    return;
  }
  if (hub.closing) throw new ProtocolError('shutting_down', 'server is shutting down');
  const principal = await ctx.identity.authenticate(req, query);

  switch (path) {
    case '/ping': {
      if (method !== 'GET') throw methodNotAllowed('GET');
      const t = Number(query.get('t'));
      const pong: PongEvent = { type: 'pong', t: Number.isFinite(t) ? t : 0, server: Date.now() };
      sendJson(res, 200, pong);
      return;
    }
    case '/rooms': {
      if (method !== 'GET') throw methodNotAllowed('GET');
      const states = await hub.listRooms();
      // The count alone per room: never a member list.
      const rooms: RoomSummary[] = await Promise.all(
        states.map(async (s) => ({
          room: s.room,
          head: s.head,
          members: (await hub.presencePage(s.room, NO_MEMBERS)).count,
        })),
      );
      rooms.sort((a, b) => (a.room < b.room ? -1 : a.room > b.room ? 1 : 0));
      sendJson(res, 200, { rooms: await ctx.identity.visibleRooms(principal, rooms) });
      return;
    }
    case '/metrics': {
      if (method !== 'GET') throw methodNotAllowed('GET');
      const text = await hub.metrics.text();
      res.writeHead(200, { 'Content-Type': hub.metrics.contentType, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case '/auth/whoami': {
      if (method !== 'GET') throw methodNotAllowed('GET');
      const who = principal.kind === 'account' ? { kind: 'account', name: principal.name } : { kind: principal.kind };
      sendJson(res, 200, { type: 'principal', ...who });
      return;
    }
    case '/auth/ticket':
      if (method !== 'POST') throw methodNotAllowed('POST');
      sendJson(res, 201, { type: 'ticket', ...ctx.identity.tickets.issue(principal) });
      return;
    case '/ws':
      if (method !== 'GET') throw methodNotAllowed('GET');
      throw new ProtocolError('bad_request', 'WebSocket upgrade required');
    case '/events': {
      // Several rooms on one stream (docs/protocol.md 8.4): every room checked as its own endpoint checks it.
      if (method !== 'GET') throw methodNotAllowed('GET');
      const rooms = resumeRooms(roomList(ctx, query), req.headers['last-event-id']);
      await guardStreams(ctx.identity, principal, { req, res, rooms: rooms.map((c) => c.room), query });
      handleMultiSse({ ctx, req, res, rooms, query, address, principal });
      return;
    }
    case '/messages': {
      if (method !== 'GET') throw methodNotAllowed('GET');
      const rooms = roomList(ctx, query);
      await guardPolls(
        ctx.identity,
        principal,
        rooms.map((c) => c.room),
        query,
        address,
      );
      await handleMultiLongPoll({ hub, res, rooms, query, address, resources: ctx.resources, principal });
      return;
    }
    case '/dms':
      await handleDms({ ctx, req, res, principal });
      return;
    case '/unread':
      await handleUnread({ ctx, req, res, principal });
      return;
  }
  const read = READ_PATH_RE.exec(path);
  if (read !== null) {
    checkRoom(read[1]!);
    await handleRoomRead({ ctx, req, res, principal }, read[1]!);
    return;
  }

  const m = ROOM_PATH_RE.exec(path);
  if (m === null) throw new ProtocolError('not_found', 'no such endpoint');
  const room = m[1]!;
  const kind = m[2]!;
  if (kind === 'messages') {
    if (method === 'GET') {
      checkRoom(room);
      await guardPoll(ctx.identity, principal, room, query, address);
      await handleLongPoll({ hub, req, res, room, query, address, resources: ctx.resources, principal });
      return;
    }
    if (method !== 'POST') throw methodNotAllowed('GET, POST');
    checkRoom(room);
    requireJson(req);
    const body = validateSendBody(await readJsonBody(req));
    const nick = await guardSend(ctx.identity, principal, room, body, address);
    const { created, ack } = await acceptMessage(ctx, { room, ...body, nick, address });
    sendJson(res, created ? 201 : 200, ack);
    return;
  }
  if (method !== 'GET') throw methodNotAllowed('GET');
  checkRoom(room);
  if (kind === 'events') {
    await guardStream(ctx.identity, principal, { req, res, room, query });
    handleSse({ ctx, req, res, room, query, address, principal });
    return;
  }
  if (kind === 'search') {
    await handleSearch({ ctx, res, principal, room, query });
    return;
  }
  await ctx.identity.checkRoom(principal, room);
  await sendPresencePage(res, hub, room, query);
}

const NO_MEMBERS = { offset: 0, limit: 0 };

/** `GET /rooms/{room}/presence?limit=L&offset=K`: one page of members in `since` order, with the whole count. */
async function sendPresencePage(res: ServerResponse, hub: Hub, room: string, query: URLSearchParams): Promise<void> {
  const limit = Math.min(parseCursor(query.get('limit'), 'limit') ?? LIMITS.presencePage, LIMITS.maxPresencePage);
  const offset = parseCursor(query.get('offset'), 'offset') ?? 0;
  const snap = await hub.presencePage(room, { offset, limit });
  const body: PresenceEvent = {
    type: 'presence',
    room,
    version: snap.version,
    count: snap.count,
    members: snap.members,
  };
  if (offset + snap.members.length < snap.count) body.truncated = true;
  sendJson(res, 200, body);
}

/**
 * The `rooms=` cursor list of `GET /events` and `GET /messages`.
 *
 * @throws ProtocolError `bad_request` (missing, malformed, a room twice), `invalid_room`,
 *   `too_many` (more than the server's rooms-per-socket limit).
 */
function roomList(ctx: ServerContext, query: URLSearchParams): RoomCursor[] {
  const text = query.get('rooms');
  if (text === null) throw new ProtocolError('bad_request', 'rooms is required: ROOM[:AFTER[:EPOCH]],…');
  // A second `rooms=` would be dropped unseen: one list, comma-separated, says what the client means.
  if (query.getAll('rooms').length > 1) throw new ProtocolError('bad_request', 'give rooms once, as ROOM,ROOM,…');
  return parseRoomCursors(text, { maxRooms: ctx.limits.maxRoomsPerSocket });
}

function checkRoom(room: string): void {
  if (!ROOM_RE.test(room)) throw new ProtocolError('invalid_room', 'room must match ^[a-z0-9][a-z0-9_-]{0,63}$');
}
