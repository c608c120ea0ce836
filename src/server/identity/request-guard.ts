/**
 * Identity at the HTTP endpoints of a room, one call each from the router:
 * the room must be visible to the principal, the nick becomes the one the
 * principal may use (and must not be held by someone else), and an SSE
 * stream is ended with a `token_expired` error event when its credential
 * runs out. The resolved nick replaces the query's, so the transports below
 * need to know nothing of identity. The multi-room stream and poll run the
 * same checks for each of their rooms.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateNick, validateSession } from '../../protocol/index.js';
import { pollLeaseMs, tokenOf, type Identity } from './identity.js';
import type { Principal } from './principal.js';

let nextStream = 1;

/** Resolves `nick` in the query to the principal's (checked not to be taken). */
async function resolveQueryNick(identity: Identity, p: Principal, query: URLSearchParams): Promise<string | undefined> {
  const raw = query.get('nick');
  if (raw === null) return undefined;
  const nick = await identity.nickFor(p, validateNick(raw));
  if (nick !== undefined) query.set('nick', nick);
  return nick;
}

/** `POST /rooms/{room}/messages`: the nick the message is stored under. */
export async function guardSend(
  identity: Identity,
  p: Principal,
  room: string,
  body: { nick: string; session?: string | undefined },
  address: string,
): Promise<string> {
  await identity.checkRoom(p, room);
  const nick = (await identity.nickFor(p, body.nick)) ?? body.nick;
  identity.nicks.check(room, nick, identity.holderOf(p, body.session) ?? 'addr:' + address);
  return nick;
}

/** `GET /rooms/{room}/messages`: a poll with a nick holds it for as long as its presence lasts. */
export function guardPoll(
  identity: Identity,
  p: Principal,
  room: string,
  query: URLSearchParams,
  address: string,
): Promise<void> {
  return guardPolls(identity, p, [room], query, address);
}

/**
 * `GET /messages?rooms=…` (and the single-room poll): every room is checked
 * (404 for a private room of others) before any nick is leased, and the nick
 * must be free in every room before it is leased in any, so a refused poll
 * holds nothing.
 */
export async function guardPolls(
  identity: Identity,
  p: Principal,
  rooms: readonly string[],
  query: URLSearchParams,
  address: string,
): Promise<void> {
  for (const room of rooms) await identity.checkRoom(p, room);
  const nick = await resolveQueryNick(identity, p, query);
  if (nick === undefined) return;
  const holder = identity.holderOf(p, validateSession(query.get('session'))) ?? 'addr:' + address;
  for (const room of rooms) identity.nicks.check(room, nick, holder);
  const until = Date.now() + pollLeaseMs(query);
  for (const room of rooms) identity.nicks.lease(room, nick, holder, until);
}

/** `GET /rooms/{room}/events`: the stream holds its nick while open, and ends when its credential does. */
export function guardStream(
  identity: Identity,
  p: Principal,
  o: { req: IncomingMessage; res: ServerResponse; room: string; query: URLSearchParams },
): Promise<void> {
  return guardStreams(identity, p, { ...o, rooms: [o.room] });
}

/**
 * `GET /events?rooms=…` (and the single-room stream): every room is checked
 * before anything else, the nick must be free in every room before the
 * stream holds it in any, and one watch ends the stream with `token_expired`.
 */
export async function guardStreams(
  identity: Identity,
  p: Principal,
  o: { req: IncomingMessage; res: ServerResponse; rooms: readonly string[]; query: URLSearchParams },
): Promise<void> {
  for (const room of o.rooms) await identity.checkRoom(p, room);
  const nick = await resolveQueryNick(identity, p, o.query);
  if (nick !== undefined) {
    const holder = identity.holderOf(p, validateSession(o.query.get('session'))) ?? `stream:${nextStream++}`;
    for (const room of o.rooms) identity.nicks.check(room, nick, holder);
    // One listener for all rooms: a hundred rooms must not trip the emitter's leak warning.
    const releases = o.rooms.map((room) => identity.nicks.hold(room, nick, holder));
    o.res.once('close', () => {
      for (const release of releases) release();
    });
  }
  const stop = identity.watchStream(p, tokenOf(o.req, o.query), () => {
    if (o.res.writableEnded || !o.res.headersSent) return;
    const data = JSON.stringify({
      type: 'error',
      code: 'token_expired',
      message: 'the token expired; get a fresh one',
    });
    o.res.end(`event: error\ndata: ${data}\n\n`);
  });
  o.res.once('close', stop);
}
