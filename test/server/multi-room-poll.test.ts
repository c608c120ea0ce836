/**
 * Several rooms in one long poll (`GET /messages?rooms=…`, docs/protocol.md
 * 8.4): a poll loop over three rooms under traffic gets every message once
 * and in order, the answer's `cursor` round-trips, `limit` spans rooms, and
 * presence comes per room as the `pv` list asks.
 */
import { describe, expect, it } from 'vitest';
import { parseRoomCursors, type HelloEvent, type PresenceEvent, type ServerEvent } from '../../src/protocol/index.js';
import { collectSse, newRoom, newSession, postMany, presenceOf, sseUrl, useTestServer } from '../helpers/index.js';
import { isMessage, pollRooms, roomOf, seqsByRoom, upTo } from './multi-room-support.js';

const srv = useTestServer();

describe('multi-room long poll', () => {
  it("a first poll gets each room's hello and history in list order, and a cursor anchored in every room", async () => {
    const [a, b, c] = [newRoom('mpa'), newRoom('mpb'), newRoom('mpc')];
    await postMany(srv.url, a, 2);
    await postMany(srv.url, c, 1);
    const res = await pollRooms(srv.url, `${a},${b},${c}`, { timeout: 5 });
    expect(res.status).toBe(200);
    expect(res.body.events.map((e) => `${e.type}:${roomOf(e)}`)).toEqual([
      `hello:${a}`,
      `message:${a}`,
      `message:${a}`,
      `hello:${b}`,
      `hello:${c}`,
      `message:${c}`,
    ]);
    const epochs = res.body.events.filter((e): e is HelloEvent => e.type === 'hello').map((h) => h.epoch);
    expect(parseRoomCursors(res.body.cursor)).toEqual([
      { room: a, after: 2, epoch: epochs[0] },
      { room: b, after: 0, epoch: epochs[1] },
      { room: c, after: 1, epoch: epochs[2] },
    ]);
  });

  it('a poll loop over three rooms with traffic in all three gets every message once, in order', async () => {
    const [a, b, c] = [newRoom('mla'), newRoom('mlb'), newRoom('mlc')];
    await postMany(srv.url, b, 4, { prefix: 'old' });
    const N = 25;
    const total = 4 + 3 * N;
    const events: ServerEvent[] = [];
    let cursor = `${a},${b},${c}`;
    let polls = 0;
    const loop = (async (): Promise<void> => {
      while (events.filter(isMessage).length < total && polls < 200) {
        polls++;
        const res = await pollRooms(srv.url, cursor, { timeout: 5 });
        expect(res.status, res.text).toBe(200);
        events.push(...res.body.events);
        cursor = res.body.cursor;
      }
    })();
    await Promise.all([a, b, c].map((r) => postMany(srv.url, r, N, { prefix: 'live' })));
    await loop;
    expect(seqsByRoom(events)).toEqual(
      new Map([
        [a, upTo(N)],
        [b, upTo(4 + N)],
        [c, upTo(N)],
      ]),
    );
    // A hello only on the first poll of each room.
    expect(events.filter((e) => e.type === 'hello').map((e) => e.room)).toEqual([a, b, c]);
  });

  it("cursor round trip: a held poll wakes for one room and moves only that room's position", async () => {
    const [a, b, c] = [newRoom('mca'), newRoom('mcb'), newRoom('mcc')];
    await postMany(srv.url, a, 3);
    const first = await pollRooms(srv.url, `${a},${b},${c}`, { timeout: 0 });
    const c1 = parseRoomCursors(first.body.cursor);
    const held = pollRooms(srv.url, first.body.cursor, { timeout: 20 });
    await postMany(srv.url, b, 1, { prefix: 'wake' });
    const woke = await held;
    expect(woke.status).toBe(200);
    expect(woke.body.events.map((e) => `${e.type}:${roomOf(e)}:${isMessage(e) ? e.text : ''}`)).toEqual([
      `message:${b}:wake1`,
    ]);
    expect(parseRoomCursors(woke.body.cursor)).toEqual([c1[0], { ...c1[1], after: 1 }, c1[2]]);
    // Nothing new: an empty answer with the same cursor.
    const idle = await pollRooms(srv.url, woke.body.cursor, { timeout: 0 });
    expect(idle.json).toEqual({ events: [], cursor: woke.body.cursor });
    // A foreign epoch for one room: reset and its retained history, the others untouched.
    const stale = woke.body.cursor.replace(c1[0]!.epoch!, 'ffffffffffffffff');
    const reset = await pollRooms(srv.url, stale, { timeout: 0 });
    expect(reset.body.events.map((e) => `${e.type}:${roomOf(e)}`)).toEqual([
      `reset:${a}`,
      `message:${a}`,
      `message:${a}`,
      `message:${a}`,
    ]);
    expect(reset.body.cursor).toBe(woke.body.cursor);
  });

  it('`limit` bounds the messages of one answer across rooms; the cursor pages on', async () => {
    const [a, b] = [newRoom('mta'), newRoom('mtb')];
    await postMany(srv.url, a, 3);
    await postMany(srv.url, b, 3);
    const one = await pollRooms(srv.url, `${a}:0,${b}:0`, { limit: 4, timeout: 0 });
    expect(one.body.events.filter(isMessage).map((m) => `${m.room}#${m.seq}`)).toEqual([
      `${a}#1`,
      `${a}#2`,
      `${a}#3`,
      `${b}#1`,
    ]);
    const two = await pollRooms(srv.url, one.body.cursor, { limit: 4, timeout: 0 });
    expect(two.body.events.filter(isMessage).map((m) => `${m.room}#${m.seq}`)).toEqual([`${b}#2`, `${b}#3`]);
  });

  it("presence per room as the pv list asks, and a held poll woken by one room's presence", async () => {
    const [a, b, c] = [newRoom('mva'), newRoom('mvb'), newRoom('mvc')];
    const session = newSession();
    const first = await pollRooms(srv.url, `${a},${b},${c}`, { session, nick: 'bob', pv: `${a}:0,${b}:0`, timeout: 0 });
    expect(first.status).toBe(200);
    const presence = first.body.events.filter((e): e is PresenceEvent => e.type === 'presence');
    expect(presence.map((p) => p.room)).toEqual([a, b]);
    for (const p of presence) expect(p.members.map((m) => m.nick)).toEqual(['bob']);
    // The poller is present in every room it polls, the one without pv too.
    expect((await presenceOf(srv.url, c)).members.map((m) => m.nick)).toEqual(['bob']);

    const pv = (await Promise.all([a, b, c].map((r) => presenceOf(srv.url, r)))).map((p) => `${p.room}:${p.version}`);
    const held = pollRooms(srv.url, first.body.cursor, { session, nick: 'bob', pv: pv.join(','), timeout: 20 });
    const cat = await collectSse(sseUrl(srv.url, c, { session: newSession(), nick: 'cat' }));
    expect(cat.status).toBe(200);
    const woke = await held;
    const p = woke.body.events.find((e): e is PresenceEvent => e.type === 'presence');
    expect(p?.room).toBe(c);
    expect(p?.members.map((m) => m.nick).sort()).toEqual(['bob', 'cat']);
    expect(woke.body.cursor).toBe(first.body.cursor);
  });
});
