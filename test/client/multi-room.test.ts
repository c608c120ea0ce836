/**
 * One ChatClient in several rooms on one transport, against the real server,
 * for each transport: traffic from other real clients in every room with live
 * switches in the middle (ws → sse → longpoll → ws from wherever it starts),
 * rooms added and removed live, and sends into a room that is not the active one.
 * SSE and long polling use the multi-room endpoints (docs/protocol.md 8.4)
 * while the client has 2+ rooms, and the classic ones with one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/chat-client.js';
import { isClientError } from '../../src/client/errors.js';
import { defaultTransports } from '../../src/client/transports/index.js';
import type { TransportFactory } from '../../src/client/transports/transport.js';
import { VIAS, type MessageEvent, type Via } from '../../src/protocol/index.js';
import {
  makeTempDir,
  newRoom,
  postMany,
  removeDir,
  startTestServer,
  waitFor,
  type TestServer,
} from '../helpers/index.js';
import { FAST, NO_RATE_LIMIT, Tracked, range, record, sqliteServer } from './support.js';

const NEXT: Record<Via, Via> = { ws: 'sse', sse: 'longpoll', longpoll: 'ws' };

/** The texts of the messages of one room, in arrival order. */
function textsIn(messages: MessageEvent[], room: string): string[] {
  return messages.filter((m) => m.room === room).map((m) => m.text);
}

function seqsIn(messages: MessageEvent[], room: string): number[] {
  return messages.filter((m) => m.room === room).map((m) => m.seq);
}

/** The real adapters, counting every transport the client makes. */
function counted(made: Via[]): Record<Via, TransportFactory> {
  const wrap =
    (via: Via): TransportFactory =>
    (options, handlers) => {
      made.push(via);
      return defaultTransports[via](options, handlers);
    };
  return { ws: wrap('ws'), sse: wrap('sse'), longpoll: wrap('longpoll') };
}

/** Queues `count` sends (`${prefix}1`..) on a client (into `room`, default its active one); resolves once acked. */
async function sendBatch(client: ChatClient, count: number, prefix: string, room?: string): Promise<void> {
  const sent = range(1, count).map((i) => client.send(`${prefix}${i}`, room === undefined ? {} : { room }));
  await Promise.all(sent.map((m) => client.whenAcked(m.cid)));
}

const isPresent = (client: ChatClient, room: string, nick: string): boolean =>
  client.presenceOf(room)?.members.some((m) => m.nick === nick) === true;

describe.each(VIAS)('one client in several rooms over %s', (via) => {
  const t = new Tracked();
  let server: TestServer | undefined;

  let dir: string | undefined;

  afterEach(async () => {
    await t.stopAll();
    await server?.close();
    server = undefined;
    if (dir) await removeDir(dir);
    dir = undefined;
  });

  it('resumes every room from its own cursor after the server restarts on the same data', async () => {
    dir = await makeTempDir();
    const first = await sqliteServer(t, dir);
    const rooms = [newRoom('a'), newRoom('b'), newRoom('c')];
    const [a, ...others] = rooms;
    const me = t.client({ servers: [first.url], room: a ?? '', rooms: others, nick: 'ann', via, ...FAST });
    const got = record(me);
    await me.start();
    // Uneven traffic, so the rooms' cursors differ.
    for (const [i, room] of rooms.entries()) await postMany(first.url, room, i + 1, { prefix: 'before' });
    await waitFor(() => got.messages.length >= 6, { what: '6 messages before the restart' });

    await first.close();
    t.servers.splice(t.servers.indexOf(first), 1);
    await waitFor(() => me.state.name === 'reconnecting', { what: 'reconnecting' });
    const second = await sqliteServer(t, dir, first.port);
    for (const room of rooms) await postMany(second.url, room, 2, { prefix: 'after' });
    await waitFor(() => got.messages.length >= 12 && me.state.name === 'online', { what: '12 messages in all' });

    for (const [i, room] of rooms.entries()) {
      expect(textsIn(got.messages, room), room).toEqual([
        ...range(1, i + 1).map((n) => `before${n}`),
        'after1',
        'after2',
      ]);
      expect(me.cursorOf(room).seq).toBe(i + 3);
    }
  });

  it('three rooms, traffic from other clients in each, switches mid-stream: each message once, in order', async () => {
    server = await startTestServer(NO_RATE_LIMIT);
    const rooms = [newRoom('a'), newRoom('b'), newRoom('c')] as const;
    const [a, b, c] = rooms;
    const me = t.client({ servers: [server.url], room: a, rooms: [b, c, a], nick: 'ann', via, ...FAST });
    const got = record(me);
    const vias: string[] = [];
    me.on('via', (v) => vias.push(v.to));
    await me.start();
    expect(me.rooms).toEqual([a, b, c]);
    expect(me.room).toBe(a);
    // One sender per room, each on another transport.
    const senders = rooms.map((room, i) =>
      t.client({ servers: [server?.url ?? ''], room, nick: `s${i}`, via: VIAS[i] ?? 'ws', ...FAST }),
    );
    await Promise.all(senders.map((s) => s.start()));
    await waitFor(() => rooms.every((r) => isPresent(me, r, 'ann')), { what: 'ann present in all three rooms' });

    const path = [NEXT[via], NEXT[NEXT[via]], via];
    const perPhase = 25;
    for (let phase = 0; phase <= path.length; phase++) {
      const sending = Promise.all([
        ...senders.map((s) => sendBatch(s, perPhase, `p${phase}-`)),
        // Into a room that is not the active one (a), while the transport changes under it.
        sendBatch(me, 2, `own${phase}-`, c),
      ]);
      const target = phase === 0 ? 0 : perPhase * 3 * phase + 2 * phase;
      const next = path[phase - 1];
      if (next !== undefined) {
        // Mid-stream: some of this phase has arrived, the rest comes over the next transport.
        await waitFor(() => got.messages.length > target, { what: `phase ${phase} under way` });
        await me.switchVia(next);
        expect(me.via).toBe(next);
      }
      await sending;
    }
    const phases = path.length + 1;
    const perRoom = (room: string): number => perPhase * phases + (room === c ? 2 * phases : 0);
    await waitFor(() => rooms.every((r) => seqsIn(got.messages, r).length >= perRoom(r)), {
      what: 'every message of every room',
      timeoutMs: 20_000,
    });

    for (const [i, room] of rooms.entries()) {
      expect(seqsIn(got.messages, room), room).toEqual(range(1, perRoom(room)));
      const fromSender = textsIn(
        got.messages.filter((m) => m.nick === `s${i}`),
        room,
      );
      expect(fromSender).toEqual(range(0, phases - 1).flatMap((p) => range(1, perPhase).map((n) => `p${p}-${n}`)));
    }
    expect(textsIn(got.messages, c).filter((x) => x.startsWith('own'))).toEqual(
      range(0, phases - 1).flatMap((p) => [`own${p}-1`, `own${p}-2`]),
    );
    expect(vias).toEqual([via, ...path]);
    expect(me.state).toMatchObject({ name: 'online', via });
    for (const room of rooms) expect(me.cursorOf(room).seq).toBe(perRoom(room));
  });

  it('adds and removes rooms live: history of the new room, nothing more from the room left', async () => {
    server = await startTestServer(NO_RATE_LIMIT);
    const url = server.url;
    const [a, b, c] = [newRoom('a'), newRoom('b'), newRoom('c')];
    const made: Via[] = [];
    const me = t.client({ servers: [url], room: a, rooms: [b], nick: 'ann', via, transports: counted(made), ...FAST });
    const got = record(me);
    const watcher = t.client({ servers: [url], room: b, nick: 'wat', via: 'ws', ...FAST });
    await me.start();
    await watcher.start();
    await postMany(url, c, 3, { prefix: 'c-before' });

    await me.addRoom(c);
    expect(me.rooms).toEqual([a, b, c]);
    expect(me.room).toBe(a);
    await waitFor(() => textsIn(got.messages, c).length >= 3, { what: 'the history of the added room' });
    await postMany(url, c, 2, { prefix: 'c-after' });
    await postMany(url, b, 2, { prefix: 'b-before' });
    await waitFor(() => textsIn(got.messages, c).length >= 5 && textsIn(got.messages, b).length >= 2, {
      what: 'live messages in b and c',
    });

    await me.removeRoom(b);
    expect(me.rooms).toEqual([a, c]);
    expect(() => me.cursorOf(b)).toThrow(/not in room/);
    if (via !== 'longpoll') {
      // A long-poll member stays until its lease runs out (section 4.1); a stream leaves with its stream.
      await waitFor(() => !isPresent(watcher, b, 'ann'), { what: 'ann gone from the room left' });
    }
    await postMany(url, b, 2, { prefix: 'b-after' });
    await postMany(url, a, 1, { prefix: 'a-last' });
    await postMany(url, c, 1, { prefix: 'c-last' });
    await waitFor(() => textsIn(got.messages, a).length >= 1 && textsIn(got.messages, c).length >= 6, {
      what: 'the messages of a and c posted after those of b',
    });

    expect(textsIn(got.messages, b)).toEqual(['b-before1', 'b-before2']);
    expect(textsIn(got.messages, c)).toEqual([
      'c-before1',
      'c-before2',
      'c-before3',
      'c-after1',
      'c-after2',
      'c-last1',
    ]);
    expect(seqsIn(got.messages, c)).toEqual(range(1, 6));
    expect(textsIn(got.messages, a)).toEqual(['a-last1']);
    // WebSocket joins and leaves on its one socket; the HTTP transports reopen once per change.
    expect(made).toEqual(via === 'ws' ? ['ws'] : [via, via, via]);

    // The last room cannot be left; a malformed or refused room is not added.
    await me.removeRoom(a);
    expect(me.rooms).toEqual([c]);
    await expect(me.removeRoom(c)).rejects.toMatchObject({ code: 'bad_request' });
    const refused = await me.addRoom('No Such Room').catch((err: unknown) => err);
    expect(isClientError(refused) && refused.code).toBe('invalid_room');
    expect(me.rooms).toEqual([c]);
    await postMany(url, c, 1, { prefix: 'c-alone' });
    await waitFor(() => textsIn(got.messages, c).includes('c-alone1'), { what: 'c alone, on the classic endpoint' });
    expect(seqsIn(got.messages, c)).toEqual(range(1, 7));
  });

  it('a room the server refuses is not added, and the other rooms go on', async () => {
    server = await startTestServer({ ...NO_RATE_LIMIT, limits: { maxRoomsPerSocket: 2 } });
    const url = server.url;
    const [a, b, c] = [newRoom('a'), newRoom('b'), newRoom('c')];
    const me = t.client({ servers: [url], room: a, rooms: [b], nick: 'ann', via, ...FAST });
    const got = record(me);
    await me.start();

    const refused = await me.addRoom(c).catch((err: unknown) => err);
    expect(isClientError(refused) && refused.code).toBe('too_many');
    expect(me.rooms).toEqual([a, b]);
    expect(me.state).toMatchObject({ name: 'online', via });
    await postMany(url, a, 1, { prefix: 'a' });
    await postMany(url, b, 1, { prefix: 'b' });
    await postMany(url, c, 1, { prefix: 'c' });
    await waitFor(() => got.messages.length >= 2, { what: 'a message in a and in b' });
    expect(got.messages.map((m) => [m.room, m.text])).toEqual([
      [a, 'a1'],
      [b, 'b1'],
    ]);
  });

  it('sends into a room that is not the active one; setActiveRoom moves only the defaults', async () => {
    server = await startTestServer(NO_RATE_LIMIT);
    const [a, b] = [newRoom('a'), newRoom('b')];
    const me = t.client({ servers: [server.url], room: a, rooms: [b], nick: 'ann', via, ...FAST });
    const got = record(me);
    await me.start();

    const toB = me.send('to b', { room: b });
    const toA = me.send('to a');
    me.setActiveRoom(b);
    expect(me.room).toBe(b);
    const toB2 = me.send('to b again');
    const acks = await Promise.all([toB, toA, toB2].map((m) => me.whenAcked(m.cid)));
    expect(acks.map((x) => x.room)).toEqual([b, a, b]);
    await waitFor(() => got.messages.length >= 3, { what: 'the three own messages back' });

    expect(textsIn(got.messages, a)).toEqual(['to a']);
    expect(textsIn(got.messages, b)).toEqual(['to b', 'to b again']);
    expect(got.own).toEqual([true, true, true]);
    expect(me.cursor.seq).toBe(2);
    expect(me.cursorOf(a).seq).toBe(1);
    // A room not joined (yet) leaves the active room as it is.
    me.setActiveRoom(newRoom('x'));
    expect(me.room).toBe(b);
    expect(() => me.send('x', { room: 'Bad Room' })).toThrow(/room must match/);
    await waitFor(() => me.presence?.members.some((m) => m.nick === 'ann'), { what: 'presence of the active room' });
    expect(me.presence?.room).toBe(b);
  });
});
