/**
 * Several rooms on one SSE stream (`GET /events?rooms=…`, docs/protocol.md
 * 8.4), with raw readers: every room's messages exactly once and in order
 * under traffic in all rooms, the `id:` line as the stream's cursor list,
 * and a reconnect with `Last-Event-ID` that resumes every room.
 */
import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import { parseRoomCursors, type PresenceEvent } from '../../src/protocol/index.js';
import { collectSse, newRoom, newSession, postMany, useTestServer, withTimeout } from '../helpers/index.js';
import { eventsUrl, expectIdsFollowStream, isMessage, roomOf, seqsByRoom, upTo } from './multi-room-support.js';

const srv = useTestServer();

describe('multi-room SSE', () => {
  it('one stream over three rooms with traffic in all three: each message once, in order; ids follow', async () => {
    const [a, b, c] = [newRoom('msa'), newRoom('msb'), newRoom('msc')];
    await postMany(srv.url, a, 3, { prefix: 'old' });
    await postMany(srv.url, c, 5, { prefix: 'old' });
    const s = await collectSse(eventsUrl(srv.url, `${a},${b},${c}`, { session: newSession(), nick: 'bob' }));
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    await s.frames.until((all) => all.filter((f) => f.event === 'hello').length === 3, 10_000, 'three hellos');
    expect(s.fields[0]).toEqual({ name: 'retry', value: '1000' });
    await s.frames.until((all) => all.filter((f) => isMessage(f.json)).length === 8, 10_000, 'the history');
    // Hellos in list order, each room's history right after its own hello.
    const order = s.frames.items
      .map((f) => `${f.event}:${f.json === undefined ? '' : roomOf(f.json)}`)
      .filter((x) => !x.startsWith('pres'));
    expect(order.slice(0, 11)).toEqual([
      `hello:${a}`,
      ...Array<string>(3).fill(`message:${a}`),
      `hello:${b}`,
      `hello:${c}`,
      ...Array<string>(5).fill(`message:${c}`),
    ]);

    const N = 25;
    await Promise.all([a, b, c].map((r) => postMany(srv.url, r, N, { prefix: 'live' })));
    const want = new Map([
      [a, upTo(3 + N)],
      [b, upTo(N)],
      [c, upTo(5 + N)],
    ]);
    await s.events.until((all) => all.filter(isMessage).length === 3 + 5 + 3 * N, 15_000, 'every message');
    expect(seqsByRoom(s.events.items)).toEqual(want);
    expectIdsFollowStream(s.frames.items, [{ room: a }, { room: b }, { room: c }]);
    // Presence per room, each listing the stream's nick; no id on anything but messages.
    for (const room of [a, b, c]) {
      await s.events.until((all) => all.some((e) => e.type === 'presence' && e.room === room), 10_000, 'presence');
      const p = s.events.items.find((e): e is PresenceEvent => e.type === 'presence' && e.room === room)!;
      expect(p.members.map((m) => m.nick)).toContain('bob');
    }
    for (const f of s.frames.items) if (f.event !== 'message') expect(f.id, f.event).toBeUndefined();
  });

  it('Last-Event-ID resumes every room: nothing twice, nothing lost; it wins over the query', async () => {
    const [a, b, c, d] = [newRoom('mra'), newRoom('mrb'), newRoom('mrc'), newRoom('mrd')];
    const first = `${a}:0,${b},${c}`;
    const s1 = await collectSse(eventsUrl(srv.url, first));
    await s1.frames.until((all) => all.filter((f) => f.event === 'hello').length === 3, 10_000, 'hellos');
    await Promise.all([a, b, c].map((r) => postMany(srv.url, r, 6)));
    await s1.events.until((all) => all.filter(isMessage).length === 18, 10_000, 'the first 18');
    expectIdsFollowStream(s1.frames.items, parseRoomCursors(first));
    // The reader got only the first ten messages (as if cut off there), then more traffic came.
    const got = s1.frames.items.filter((f) => isMessage(f.json)).slice(0, 10);
    s1.close();
    await Promise.all([a, b, c, d].map((r) => postMany(srv.url, r, 4, { prefix: 'later' })));
    const lastId = got[got.length - 1]!.id!;
    // The URL is the first one plus a new room; Last-Event-ID also names a room the URL does not (ignored).
    const other = newRoom('mrx');
    const s2 = await collectSse(eventsUrl(srv.url, `${first},${d}`), { lastEventId: `${lastId},${other}:3` });
    expect(s2.status).toBe(200);
    await s2.events.until((all) => all.filter(isMessage).length === 30 - 10 + 4, 10_000, 'the rest');
    const all = [...got.map((f) => f.json!), ...s2.events.items];
    expect(seqsByRoom(all)).toEqual(
      new Map([
        [a, upTo(10)],
        [b, upTo(10)],
        [c, upTo(10)],
        [d, upTo(4)],
      ]),
    );
    expect(s2.events.items.some((e) => roomOf(e) === other)).toBe(false);
    expect(s2.events.items.filter((e) => e.type === 'reset')).toEqual([]);
  });

  it('the eventsource package reads the stream; its lastEventId is the cursor list', async () => {
    const [a, b] = [newRoom('mea'), newRoom('meb')];
    const es = new EventSource(eventsUrl(srv.url, `${a},${b}`));
    try {
      const hellos: Array<{ room: string; epoch: string }> = [];
      const ready = new Promise<void>((resolve) =>
        es.addEventListener('hello', (ev) => {
          hellos.push(JSON.parse(String(ev.data)) as { room: string; epoch: string });
          if (hellos.length === 2) resolve();
        }),
      );
      await withTimeout(ready, 10_000, 'two hellos');
      const got = new Promise<string>((resolve) => es.addEventListener('message', (ev) => resolve(ev.lastEventId)));
      await postMany(srv.url, b, 1);
      const id = await withTimeout(got, 10_000, 'a message');
      expect(parseRoomCursors(id)).toEqual([
        { room: a, after: 0, epoch: hellos[0]!.epoch },
        { room: b, after: 1, epoch: hellos[1]!.epoch },
      ]);
    } finally {
      es.close();
    }
  });

  it("a room whose Last-Event-ID epoch is not the room's gets reset and its retained history", async () => {
    const [a, b] = [newRoom('mza'), newRoom('mzb')];
    await postMany(srv.url, a, 2);
    await postMany(srv.url, b, 2);
    const s = await collectSse(eventsUrl(srv.url, `${a},${b}`), {
      lastEventId: `${a}:2:ffffffffffffffff,${b}:1`,
    });
    await s.events.until((all) => all.filter(isMessage).length === 3, 10_000, 'three messages');
    expect(s.events.items.filter((e) => e.type === 'reset').map((e) => e.room)).toEqual([a]);
    expect(seqsByRoom(s.events.items)).toEqual(
      new Map([
        [a, [1, 2]],
        [b, [2]],
      ]),
    );
  });
});
