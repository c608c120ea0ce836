/**
 * Direct messages (docs/protocol.md 8.4, "Direct messages"): `POST /dms`
 * opens the DM room of two accounts, `GET /dms` lists the caller's. A DM
 * room is a private room (identity store room access) whose two members are
 * the accounts, so every room endpoint already answers 404 to anyone else;
 * its `dm-` name is reserved (Identity.checkRoom) and never listed in
 * `GET /rooms` (Identity.visibleRooms).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ProtocolError,
  dmRoomName,
  isDmRoom,
  isRecord,
  type DmOpenedEvent,
  type DmSummary,
} from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { ACCOUNT_RE } from '../identity/account-name.js';
import type { Principal } from '../identity/principal.js';
import { readJsonBody, requireJson } from './body.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { sendJson } from './respond.js';

/** What a route of this file gets from the router. */
export interface RouteInput {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  principal: Principal;
}

/** The account a request speaks for; `403 forbidden` with `why` for guests and open servers. */
export function requireAccount(p: Principal, why: string): Extract<Principal, { kind: 'account' }> {
  if (p.kind !== 'account') throw new ProtocolError('forbidden', why);
  return p;
}

/** `GET /dms` and `POST /dms`. */
export async function handleDms(o: RouteInput): Promise<void> {
  const method = o.req.method ?? 'GET';
  if (method === 'GET') {
    sendJson(o.res, 200, { dms: await dmsOf(o.ctx, o.principal) });
    return;
  }
  if (method !== 'POST') throw methodNotAllowed('GET, POST');
  await openDm(o);
}

/**
 * `POST /dms {"to":"bob"}` → 201 (opened now) or 200 (it existed) with
 * `{"type":"dm","room","peer"}`. Errors: `403 forbidden` without an account
 * (or with a JWT whose `rooms` claim leaves the DM out), `400 bad_request`
 * for a bad or own name, `404 not_found` for an unknown account.
 */
async function openDm(o: RouteInput): Promise<void> {
  const me = requireAccount(o.principal, 'direct messages need an account');
  requireJson(o.req);
  const body = await readJsonBody(o.req);
  const to = isRecord(body) ? body.to : undefined;
  if (typeof to !== 'string' || !ACCOUNT_RE.test(to)) {
    throw new ProtocolError('bad_request', 'to must be an account name (^[a-z0-9][a-z0-9_-]{0,31}$)');
  }
  if (to === me.name) throw new ProtocolError('bad_request', 'a direct message needs another account than yours');
  const room = dmRoomName(me.name, to);
  // A JWT limited to some rooms stays limited: it may not open a room outside its claim.
  if (me.rooms !== undefined && !me.rooms.includes(room)) {
    throw new ProtocolError('forbidden', 'this token is limited to the rooms of its claim');
  }
  if (!(await o.ctx.identity.accounts.exists(to))) throw new ProtocolError('not_found', `no account ${to}`);
  const store = o.ctx.identity.store;
  const existed = (await store.getRoomAccess(room)) !== undefined;
  // Two opening at once both write the same two members: the same result either way.
  if (!existed) await store.putRoomAccess({ room, members: [me.name, to] });
  await o.ctx.hub.ensureRoom(room);
  const answer: DmOpenedEvent = { type: 'dm', room, peer: to };
  sendJson(o.res, existed ? 200 : 201, answer);
}

/**
 * The DMs of the principal, sorted by peer; `[]` for anyone but an account.
 * Costs O(the account's private rooms) store reads (an index by member), not
 * O(every private room).
 */
export async function dmsOf(ctx: ServerContext, p: Principal): Promise<DmSummary[]> {
  if (p.kind !== 'account') return [];
  const mine = (await ctx.identity.store.listRoomAccessOf(p.name)).filter(
    (a) => isDmRoom(a.room) && a.members.length === 2 && (p.rooms === undefined || p.rooms.includes(a.room)),
  );
  const dms = await Promise.all(
    mine.map(async (a) => ({
      room: a.room,
      peer: a.members.find((m) => m !== p.name) ?? p.name,
      head: (await ctx.hub.roomState(a.room))?.head ?? 0,
    })),
  );
  return dms.sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0));
}
