/**
 * Direct messages: `POST /dms` opens the room of two accounts; only they can
 * read or send in it, on every transport (WebSocket, SSE, long poll, POST),
 * and no listing shows it (GET /rooms, not even to them). `dm-` names are
 * reserved: nobody makes such a room by using it. The errors of POST /dms.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { listDms, openDm } from '../../src/client/dms.js';
import { dmRoomName, type MessageEvent, type RoomSummary, type Via } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import {
  collectSse,
  http,
  newSession,
  openWs,
  poll,
  postMessage,
  sseUrl,
  TRANSPORTS,
  useTestServer,
  waitFor,
} from '../helpers/index.js';

const notFound = { type: 'error', code: 'not_found', message: 'no such room' };

function postDm(base: string, to: unknown, token?: string) {
  return http(`${base}/dms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to }),
    ...(token !== undefined && { token }),
  });
}

describe('direct messages between accounts', () => {
  const srv = useTestServer();
  const tokens: Record<string, string> = {};
  let dm: string;
  beforeAll(async () => {
    const accounts = new Accounts(srv.store.identity);
    for (const name of ['ann', 'bob', 'eve']) tokens[name] = await accounts.add(name);
    const opened = await openDm({ server: srv.url, token: tokens.ann, to: 'bob' });
    dm = opened.room;
    expect(opened).toEqual({ room: dmRoomName('ann', 'bob'), peer: 'bob', created: true });
    const res = await postMessage(srv.url, dm, { nick: 'ann', text: 'psst, bob' }, { token: tokens.ann });
    expect(res.status).toBe(201);
  });

  it('opens one room for the pair, from either side: 201 once, then 200', async () => {
    const again = await postDm(srv.url, 'bob', tokens.ann);
    expect([again.status, again.json]).toEqual([200, { type: 'dm', room: dm, peer: 'bob' }]);
    const back = await openDm({ server: srv.url, token: tokens.bob, to: '@ann' });
    expect(back).toEqual({ room: dm, peer: 'ann', created: false });
  });

  it('refuses oneself (400), an unknown account (404) and a bad name (400)', async () => {
    const self = await postDm(srv.url, 'ann', tokens.ann);
    expect([self.status, (self.json as { code: string }).code]).toEqual([400, 'bad_request']);
    const unknown = await postDm(srv.url, 'nobody', tokens.ann);
    expect([unknown.status, (unknown.json as { code: string }).code]).toEqual([404, 'not_found']);
    for (const bad of ['Bob!', '', 42, null]) {
      const res = await postDm(srv.url, bad, tokens.ann);
      expect([res.status, (res.json as { code: string }).code], String(bad)).toEqual([400, 'bad_request']);
    }
    await expect(openDm({ server: srv.url, token: tokens.ann, to: 'nobody' })).rejects.toMatchObject({
      code: 'not_found',
    });
    const wrongMethod = await http(`${srv.url}/dms`, { method: 'DELETE', token: tokens.ann });
    expect(wrongMethod.status).toBe(405);
  });

  it('is 404 to a third account on every endpoint and transport, as a room that does not exist', async () => {
    const eve = tokens.eve!;
    const post = await postMessage(srv.url, dm, { nick: 'eve', text: 'let me in' }, { token: eve });
    expect([post.status, post.json]).toEqual([404, notFound]);
    for (const path of [`/rooms/${dm}/messages?after=0&timeout=0`, `/rooms/${dm}/presence`, `/rooms/${dm}/read`]) {
      const res = await http(srv.url + path, { token: eve });
      expect([res.status, res.json], path).toEqual([404, notFound]);
    }
    const sse = await collectSse(sseUrl(srv.url, dm), { token: eve });
    expect([sse.status, JSON.parse(sse.errorBody)]).toEqual([404, notFound]);
    const ws = await openWs(srv.wsUrl, { token: eve });
    ws.send({ type: 'join', room: dm });
    expect(await ws.next((f) => f.type === 'error')).toEqual({ ...notFound, room: dm });
    ws.send({ type: 'send', room: dm, cid: 'c1', text: 'hi' });
    expect(await ws.next((f) => f.type === 'error' && 'cid' in f)).toEqual({ ...notFound, cid: 'c1' });
    for (const via of TRANSPORTS) {
      const client = new ChatClient({ servers: [srv.url], room: dm, nick: 'eve', via, token: eve });
      const offline = new Promise<string>((resolve) =>
        client.on('state', ({ newState }) => newState.name === 'offline' && resolve(newState.reason)),
      );
      await client.start().catch(() => undefined);
      expect(await offline, via).toBe('not_found');
      await client.stop();
    }
  });

  it.each(TRANSPORTS as Via[])('serves its two accounts over %s: each reads what the other sent', async (via) => {
    const client = new ChatClient({ servers: [srv.url], room: dm, nick: 'bob', via, token: tokens.bob! });
    const seen: MessageEvent[] = [];
    client.on('message', (m) => seen.push(m));
    try {
      await client.start();
      await waitFor(() => seen.some((m) => m.text === 'psst, bob') || undefined, { what: "ann's DM in history" });
      await client.whenAcked(client.send(`back over ${via}`).cid);
      const p = await poll(srv.url, dm, { after: 0, timeout: 0 }, { token: tokens.ann });
      expect(p.status).toBe(200);
      const texts = p.body.events.flatMap((e) => (e.type === 'message' ? [`${e.nick}: ${e.text}`] : []));
      expect(texts).toContain(`bob: back over ${via}`);
    } finally {
      await client.stop();
    }
    const ws = await openWs(srv.wsUrl, { token: tokens.ann, query: { session: newSession(), nick: 'ann' } });
    expect(await ws.join(dm)).toMatchObject({ type: 'hello', room: dm });
    const sse = await collectSse(sseUrl(srv.url, dm), { token: tokens.ann });
    expect(sse.status).toBe(200);
    sse.close();
  });

  it('is listed by no GET /rooms, not even to its two accounts; GET /dms lists it for them only', async () => {
    for (const name of ['ann', 'bob', 'eve']) {
      const res = await http(`${srv.url}/rooms`, { token: tokens[name]! });
      expect(res.status).toBe(200);
      const rooms = (res.json as { rooms: RoomSummary[] }).rooms.map((r) => r.room);
      expect(
        rooms.filter((r) => r.startsWith('dm-')),
        name,
      ).toEqual([]);
    }
    const annDms = await listDms({ server: srv.url, token: tokens.ann });
    expect(annDms).toEqual([{ room: dm, peer: 'bob', head: expect.any(Number) as number }]);
    expect(annDms[0]!.head).toBeGreaterThanOrEqual(1);
    expect((await listDms({ server: srv.url, token: tokens.bob })).map((d) => d.peer)).toEqual(['ann']);
    expect(await listDms({ server: srv.url, token: tokens.eve })).toEqual([]);
  });

  it('reserves dm- names: a DM room nobody opened is 404 to everyone, even its would-be members', async () => {
    const unopened = dmRoomName('bob', 'eve');
    for (const room of [unopened, 'dm-x', 'dm-lobby']) {
      const post = await postMessage(srv.url, room, { nick: 'bob', text: 'squat' }, { token: tokens.bob });
      expect([post.status, post.json], room).toEqual([404, notFound]);
      const ws = await openWs(srv.wsUrl, { token: tokens.eve });
      ws.send({ type: 'join', room });
      expect(await ws.next((f) => f.type === 'error')).toEqual({ ...notFound, room });
    }
  });
});

describe('direct messages without an account', () => {
  const guests = useTestServer({ guests: true });
  beforeAll(async () => {
    await new Accounts(guests.store.identity).add('bob');
  });

  it('are 403 forbidden for a guest; GET /dms lists nothing', async () => {
    const res = await postDm(guests.url, 'bob');
    expect([res.status, res.json]).toEqual([
      403,
      { type: 'error', code: 'forbidden', message: 'direct messages need an account' },
    ]);
    expect((await http(`${guests.url}/dms`)).json).toEqual({ dms: [] });
    await expect(openDm({ server: guests.url, to: 'bob' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('direct messages on an open server', () => {
  const open = useTestServer();

  it('are 403 forbidden, and dm- rooms stay unusable', async () => {
    const res = await postDm(open.url, 'bob');
    expect([res.status, (res.json as { code: string }).code]).toEqual([403, 'forbidden']);
    const post = await postMessage(open.url, dmRoomName('ann', 'bob'), { nick: 'ann', text: 'hi' });
    expect([post.status, post.json]).toEqual([404, notFound]);
  });
});
