/**
 * JWTs (HS256 and ES256 via jose): accepted, refused with a wrong signature
 * or past `exp`, a stream cut when its token expires; the `rooms` claim.
 * Private rooms: 404 not_found for a non-member on every transport and
 * endpoint, absent from /rooms. Tickets: single use, in place of the token.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import type { RoomSummary } from '../../src/protocol/index.js';
import {
  collectSse,
  expectUpgradeRefused,
  http,
  newRoom,
  newSession,
  openWs,
  poll,
  postMessage,
  sseUrl,
  useTestServer,
} from '../helpers/index.js';
import { endpointsOf } from './endpoints.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

async function hs256(
  claims: Record<string, unknown>,
  options: { sub: string; exp?: number | string; secret?: string },
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(options.sub).setIssuedAt();
  if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe('JWT with --jwt-secret (HS256)', () => {
  const srv = useTestServer({ jwt: { secret: SECRET }, identity: { expiry: { tickMs: 50 } } });

  it('accepts a valid token and speaks as its sub', async () => {
    const token = await hs256({}, { sub: 'ann', exp: '1h' });
    expect((await http(`${srv.url}/auth/whoami`, { token })).json).toEqual({
      type: 'principal',
      kind: 'account',
      name: 'ann',
    });
    const room = newRoom('jwt');
    expect((await postMessage(srv.url, room, { nick: 'bob', text: 'hi' }, { token })).status).toBe(201);
    const events = (await poll(srv.url, room, { after: 0, timeout: 0 }, { token })).body.events;
    expect(events.find((e) => e.type === 'message')).toMatchObject({ nick: 'ann' });
  });

  it('refuses a wrong signature and an expired exp, on HTTP and the upgrade', async () => {
    const forged = await hs256({}, { sub: 'ann', exp: '1h', secret: 'another-secret-of-at-least-32-bytes!!' });
    const expired = await hs256({}, { sub: 'ann', exp: Math.floor(Date.now() / 1000) - 10 });
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    for (const [token, code] of [
      [forged, 'unauthorized'],
      [expired, 'token_expired'],
      [noSub, 'unauthorized'],
    ] as const) {
      // Every endpoint, the SSE stream included: a refused credential is answered before any stream starts.
      for (const e of endpointsOf(newRoom('jwt'))) {
        const res = await http(`${srv.url}${e.path}`, {
          token,
          ...(e.method === 'POST' && { method: 'POST' as const }),
          ...(e.body !== undefined && { body: e.body }),
        });
        expect(res.status, e.name).toBe(401);
        expect(res.json, e.name).toMatchObject({ code });
      }
      const up = await expectUpgradeRefused(srv.wsUrl, { token });
      expect(up.status).toBe(401);
      expect(JSON.parse(up.body)).toMatchObject({ code });
    }
  });

  it('cuts a WebSocket (4001) and an SSE stream (token_expired) as the token expires; the client says so', async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await hs256({}, { sub: 'ann', exp });
    const ws = await openWs(srv.wsUrl, { token });
    await ws.join(newRoom());
    const sse = await collectSse(sseUrl(srv.url, newRoom()), { token });
    expect(sse.status).toBe(200);
    const client = new ChatClient({ servers: [srv.url], room: newRoom(), nick: 'ann', via: 'ws', token });
    const states: string[] = [];
    client.on('state', ({ newState }) =>
      states.push(newState.name === 'offline' ? `offline:${newState.reason}` : newState.name),
    );
    await client.start();
    expect(await ws.waitClose()).toMatchObject({ code: 4001, reason: 'token_expired' });
    await sse.ended;
    expect(sse.lines.join('\n')).toMatch(/event: error\ndata: \{"type":"error","code":"token_expired"/);
    await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('offline:token_expired');
    await client.stop();
  });

  it('a rooms claim limits the rooms: others are 404 not_found and absent from /rooms', async () => {
    const allowed = newRoom('claim-ok');
    const other = newRoom('claim-no');
    const admin = await hs256({}, { sub: 'root', exp: '1h' });
    await postMessage(srv.url, other, { nick: 'x', text: 'exists' }, { token: admin });
    const token = await hs256({ rooms: [allowed] }, { sub: 'ann', exp: '1h' });
    expect((await postMessage(srv.url, allowed, { nick: 'x', text: 'ok' }, { token })).status).toBe(201);
    const denied = await postMessage(srv.url, other, { nick: 'x', text: 'no' }, { token });
    expect(denied.status).toBe(404);
    const rooms = ((await http(`${srv.url}/rooms`, { token })).json as { rooms: RoomSummary[] }).rooms.map(
      (r) => r.room,
    );
    expect(rooms).toEqual([allowed]);
  });
});

describe('JWT with --jwt-public-key (ES256)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const srv = useTestServer({ jwt: { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() } });

  it('accepts a token signed with the private key, refuses an HS256 one', async () => {
    const good = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('bob')
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await http(`${srv.url}/auth/whoami`, { token: good })).json).toMatchObject({ name: 'bob' });
    const wrongAlg = await hs256({}, { sub: 'bob', exp: '1h' });
    expect((await http(`${srv.url}/rooms`, { token: wrongAlg })).status).toBe(401);
  });
});

describe('private rooms', () => {
  const srv = useTestServer({ jwt: { secret: SECRET } });
  const ops = newRoom('ops');
  let ann: string;
  let eve: string;
  beforeAll(async () => {
    await srv.store.identity.putRoomAccess({ room: ops, members: ['ann', 'bob'] });
    ann = await hs256({}, { sub: 'ann', exp: '1h' });
    eve = await hs256({}, { sub: 'eve', exp: '1h' });
    expect((await postMessage(srv.url, ops, { nick: 'ann', text: 'secret' }, { token: ann })).status).toBe(201);
  });

  it('is 404 not_found to a non-member on every endpoint and transport, as a room that does not exist', async () => {
    const notFound = { type: 'error', code: 'not_found', message: 'no such room' };
    const post = await postMessage(srv.url, ops, { nick: 'eve', text: 'hi' }, { token: eve });
    expect([post.status, post.json]).toEqual([404, notFound]);
    for (const path of [`/rooms/${ops}/messages?after=0&timeout=0`, `/rooms/${ops}/presence`]) {
      const res = await http(srv.url + path, { token: eve });
      expect([res.status, res.json], path).toEqual([404, notFound]);
    }
    const sse = await collectSse(sseUrl(srv.url, ops), { token: eve });
    expect([sse.status, JSON.parse(sse.errorBody)]).toEqual([404, notFound]);
    const ws = await openWs(srv.wsUrl, { token: eve });
    ws.send({ type: 'join', room: ops });
    expect(await ws.next((f) => f.type === 'error')).toEqual({ ...notFound, room: ops });
    ws.send({ type: 'send', room: ops, cid: 'c1', text: 'hi' });
    expect(await ws.next((f) => f.type === 'error' && 'cid' in f)).toEqual({ ...notFound, cid: 'c1' });
    for (const via of ['ws', 'sse', 'longpoll'] as const) {
      const client = new ChatClient({ servers: [srv.url], room: ops, nick: 'eve', via, token: eve });
      const offline = new Promise<string>((resolve) =>
        client.on('state', ({ newState }) => newState.name === 'offline' && resolve(newState.reason)),
      );
      // Long polling is online after its ping; its first poll then meets the 404.
      await client.start().catch(() => undefined);
      expect(await offline, via).toBe('not_found');
      await client.stop();
    }
  });

  it('is absent from /rooms for non-members and listed for members', async () => {
    const list = async (token: string): Promise<string[]> =>
      ((await http(`${srv.url}/rooms`, { token })).json as { rooms: RoomSummary[] }).rooms.map((r) => r.room);
    expect(await list(eve)).not.toContain(ops);
    expect(await list(ann)).toContain(ops);
  });

  it('serves its members on every transport', async () => {
    const ws = await openWs(srv.wsUrl, { token: ann, query: { session: newSession(), nick: 'ann' } });
    expect(await ws.join(ops)).toMatchObject({ type: 'hello', room: ops });
    const sse = await collectSse(sseUrl(srv.url, ops), { token: ann });
    expect(sse.status).toBe(200);
    expect((await poll(srv.url, ops, { after: 0, timeout: 0 }, { token: ann })).status).toBe(200);
  });
});

describe('tickets', () => {
  const srv = useTestServer({ jwt: { secret: SECRET } });

  it('stand for the token once, in an EventSource or WebSocket URL', async () => {
    const token = await hs256({}, { sub: 'ann', exp: '1h' });
    const buy = async (): Promise<string> => {
      const res = await http(`${srv.url}/auth/ticket`, { method: 'POST', token });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ type: 'ticket', expiresInMs: expect.any(Number) as number });
      return (res.json as { ticket: string }).ticket;
    };
    const t1 = await buy();
    const sse = await collectSse(sseUrl(srv.url, newRoom(), { ticket: t1 }));
    expect(sse.status).toBe(200);
    sse.close();
    expect((await collectSse(sseUrl(srv.url, newRoom(), { ticket: t1 }))).status).toBe(401);
    const t2 = await buy();
    const ws = await openWs(srv.wsUrl, { query: { ticket: t2 } });
    expect(await ws.join(newRoom())).toMatchObject({ type: 'hello' });
    expect((await expectUpgradeRefused(srv.wsUrl, { query: { ticket: t2 } })).status).toBe(401);
    expect((await http(`${srv.url}/auth/ticket`, { method: 'POST' })).status).toBe(401);
  });
});
