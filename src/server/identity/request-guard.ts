/**
 * Identity at the HTTP endpoints of a room, one call each from the router:
 * the room must be visible to the principal, the nick becomes the one the
 * principal may use (and must not be held by someone else), and an SSE
 * stream is ended with a `token_expired` error event when its credential
 * runs out. The resolved nick replaces the query's, so the transports below
 * need to know nothing of identity.
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
export async function guardPoll(
  identity: Identity,
  p: Principal,
  room: string,
  query: URLSearchParams,
  address: string,
): Promise<void> {
  await identity.checkRoom(p, room);
  const nick = await resolveQueryNick(identity, p, query);
  if (nick === undefined) return;
  const holder = identity.holderOf(p, validateSession(query.get('session'))) ?? 'addr:' + address;
  identity.nicks.lease(room, nick, holder, Date.now() + pollLeaseMs(query));
}

/** `GET /rooms/{room}/events`: the stream holds its nick while open, and ends when its credential does. */
export async function guardStream(
  identity: Identity,
  p: Principal,
  o: { req: IncomingMessage; res: ServerResponse; room: string; query: URLSearchParams },
): Promise<void> {
  await identity.checkRoom(p, o.room);
  const nick = await resolveQueryNick(identity, p, o.query);
  if (nick !== undefined) {
    const holder = identity.holderOf(p, validateSession(o.query.get('session'))) ?? `stream:${nextStream++}`;
    o.res.once('close', identity.nicks.hold(o.room, nick, holder));
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
