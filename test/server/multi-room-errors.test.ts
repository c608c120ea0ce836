/**
 * Bad input to the multi-room stream and poll gets a clear error and never
 * hurts the server: a malformed list, a room twice, too many rooms, an
 * invalid room, a bad Last-Event-ID or pv, a nick taken in one of the rooms,
 * and a private room of others (404, before anything of any room is read).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoomSummary } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import {
  collectSse,
  http,
  newRoom,
  newSession,
  postMessage,
  sseUrl,
  useTestServer,
  type HttpResult,
} from '../helpers/index.js';
import { eventsUrl, pollRooms } from './multi-room-support.js';

/** Both endpoints for one list; the SSE one reads only the status and error body. */
async function both(
  base: string,
  rooms: string,
  options: { query?: Record<string, string>; headers?: Record<string, string>; token?: string } = {},
): Promise<Array<{ status: number; json: unknown }>> {
  const auth = options.token === undefined ? {} : { token: options.token };
  const sse = await collectSse(eventsUrl(base, rooms, options.query), { headers: options.headers ?? {}, ...auth });
  sse.close();
  const polled: HttpResult = await pollRooms(base, rooms, { timeout: 0, ...options.query }, auth);
  return [
    { status: sse.status, json: sse.status === 200 ? undefined : JSON.parse(sse.errorBody) },
    { status: polled.status, json: polled.json },
  ];
}

describe('multi-room refusals', () => {
  const srv = useTestServer({ limits: { maxRoomsPerSocket: 3 } });

  it.each([
    ['no rooms parameter', undefined, 'bad_request'],
    ['an empty list', '', 'bad_request'],
    ['an empty item', 'aa,,bb', 'bad_request'],
    ['a trailing comma', 'aa,', 'bad_request'],
    ['a room twice', 'aa,bb,aa', 'bad_request'],
    ['the rooms parameter twice (the second would be dropped unseen)', 'aa&rooms=bb', 'bad_request'],
    ['a bad position', 'aa:x', 'bad_request'],
    ['an empty position', 'aa:', 'bad_request'],
    ['an epoch with a colon', 'aa:1:e:f', 'bad_request'],
    ['an invalid room', 'aa,Bad', 'invalid_room'],
    ['an over-long room', 'a'.repeat(65), 'invalid_room'],
    ['more rooms than the server allows per connection', 'aa,bb,cc,dd', 'too_many'],
  ])('%s: %s on both endpoints', async (_what, rooms, code) => {
    const urls =
      rooms === undefined
        ? [`${srv.url}/events`, `${srv.url}/messages?timeout=0`]
        : [eventsUrl(srv.url, rooms), `${srv.url}/messages?rooms=${rooms}&timeout=0`];
    for (const url of urls) {
      const res = await http(url);
      expect(res.json, url).toMatchObject({ type: 'error', code });
      expect(res.status).toBe(code === 'too_many' ? 429 : 400);
    }
  });

  it('the bound itself is fine', async () => {
    const list = [newRoom('mo'), newRoom('mo'), newRoom('mo')].join(',');
    expect((await both(srv.url, list)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('a bad Last-Event-ID, pv, timeout, session or nick is 400', async () => {
    const room = newRoom('mb');
    const sse = await collectSse(eventsUrl(srv.url, room), { lastEventId: `${room}:nope` });
    expect([sse.status, JSON.parse(sse.errorBody)]).toEqual([
      400,
      expect.objectContaining({ code: 'bad_request', message: expect.stringMatching(/^Last-Event-ID/) as string }),
    ]);
    for (const query of [{ pv: room }, { pv: 'Bad:1' }, { timeout: '-1' }, { session: 'short' }, { nick: '' }]) {
      const res = await pollRooms(srv.url, room, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
  });

  it('only GET: POST /events and POST /messages are 405 with Allow', async () => {
    for (const path of ['/events?rooms=aa', '/messages?rooms=aa']) {
      const res = await http(srv.url + path, { method: 'POST' });
      expect([res.status, res.headers.allow], path).toEqual([405, 'GET']);
    }
  });

  it('a nick held by one present in one of the rooms is nick_taken; the refused request holds nothing', async () => {
    const [a, b] = [newRoom('mn'), newRoom('mn')];
    const ann = await collectSse(sseUrl(srv.url, b, { session: newSession(), nick: 'ann' }));
    expect(ann.status).toBe(200);
    for (const res of await both(srv.url, `${a},${b}`, { query: { session: newSession(), nick: 'ann' } })) {
      expect([res.status, res.json]).toEqual([409, expect.objectContaining({ code: 'nick_taken' })]);
    }
    // Not held in the free room by the refused requests: a third session may speak as ann there.
    expect((await postMessage(srv.url, a, { nick: 'ann', text: 'hi', session: newSession() })).status).toBe(201);
  });

  it('the server serves on after all of that', async () => {
    expect((await http(`${srv.url}/healthz`)).status).toBe(200);
    const list = `${newRoom('mk')},${newRoom('mk')}`;
    expect((await both(srv.url, list)).map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('multi-room and private rooms', () => {
  const srv = useTestServer();
  const ops = newRoom('mops');
  let ann: string;
  let eve: string;
  beforeAll(async () => {
    const accounts = new Accounts(srv.store.identity);
    ann = await accounts.add('ann');
    eve = await accounts.add('eve');
    await srv.store.identity.putRoomAccess({ room: ops, members: ['ann'] });
    expect((await postMessage(srv.url, ops, { nick: 'ann', text: 'secret' }, { token: ann })).status).toBe(201);
  });

  it('a private room of others in the list is 404 not_found, before any room of the list is read', async () => {
    const fresh = newRoom('mfresh');
    const notFound = { type: 'error', code: 'not_found', message: 'no such room' };
    for (const res of await both(srv.url, `${fresh},${ops}`, { token: eve })) {
      expect([res.status, res.json]).toEqual([404, notFound]);
    }
    const rooms = (await http(`${srv.url}/rooms`, { token: ann })).json as { rooms: RoomSummary[] };
    expect(rooms.rooms.map((r) => r.room)).not.toContain(fresh);
  });

  it('serves the same list to a member', async () => {
    const list = `${newRoom('mfresh')},${ops}`;
    expect((await both(srv.url, list, { token: ann })).map((r) => r.status)).toEqual([200, 200]);
    const polled = await pollRooms(srv.url, list, { timeout: 0 }, { token: ann });
    expect(polled.body.events.filter((e) => e.type === 'message').map((e) => e.room)).toEqual([ops]);
  });
});
