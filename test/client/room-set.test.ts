/**
 * The client's rooms as units: the room set (active room, last room, initial
 * list and cursors), per-room cursors and the dropping of rooms left, and a
 * room set that changes while a transport opens (scripted transports and fake
 * timers, as lifecycle.test.ts). The same against a real server: multi-room.test.ts.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { initialRooms } from '../../src/client/room-membership.js';
import type { MessageEvent } from '../../src/protocol/index.js';
import { EPOCH, hello, message, scripted } from './fake-transport.js';

const A = 'http://a.test:7878';
let clients: ChatClient[] = [];

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(async () => {
  for (const c of clients) await c.stop();
  clients = [];
  vi.useRealTimers();
});

test('the initial rooms: room first and active, no duplicates, cursor for room, cursors for the rest', () => {
  const set = initialRooms({
    room: 'lobby',
    rooms: ['ops', 'lobby', 'dev', 'ops'],
    cursor: { seq: 4, epoch: EPOCH },
    cursors: { lobby: { seq: 99 }, dev: { seq: 7, epoch: EPOCH } },
  });
  expect(set.names).toEqual(['lobby', 'ops', 'dev']);
  expect(set.active.name).toBe('lobby');
  expect(set.transportRooms()).toEqual([
    { room: 'lobby', position: { after: 4, epoch: EPOCH }, presenceVersion: 0 },
    { room: 'ops', position: {}, presenceVersion: 0 },
    { room: 'dev', position: { after: 7, epoch: EPOCH }, presenceVersion: 0 },
  ]);
  expect(() => initialRooms({ room: 'lobby', rooms: ['Not A Room'] })).toThrow(
    expect.objectContaining({ code: 'invalid_room' }),
  );

  set.setActive('dev');
  expect(set.remove('dev')).toBe(true);
  expect(set.active.name).toBe('lobby');
  expect(set.remove('dev')).toBe(false);
  set.remove('ops');
  expect(() => set.remove('lobby')).toThrow(expect.objectContaining({ code: 'bad_request' }));
  expect(() => set.setActive('ops')).toThrow(expect.objectContaining({ code: 'not_found' }));
});

test('each room keeps its own cursor; events of a room left are dropped', async () => {
  const s = scripted((t) => t.accept(0));
  const client = new ChatClient({ servers: [A], room: 'a', rooms: ['b'], nick: 'ann', transports: s.factories });
  clients.push(client);
  const got: MessageEvent[] = [];
  client.on('message', (m) => got.push(m));
  await Promise.all([client.start(), vi.advanceTimersByTimeAsync(0)]);
  const t = s.made[0]!;
  expect(t.rooms()).toEqual(['a', 'b']);

  for (const [room, seq] of [
    ['a', 1],
    ['b', 1],
    ['b', 2],
    ['a', 1],
    ['c', 1],
  ] as const)
    t.emit(message(room, seq));
  expect(got.map((m) => `${m.room}${m.seq}`)).toEqual(['a1', 'b1', 'b2']);
  expect(client.cursorOf('a').seq).toBe(1);
  expect(client.cursorOf('b').seq).toBe(2);

  // The fake cannot join live, so removing a room reopens; the old transport's late events of it are dropped.
  const removed = client.removeRoom('b');
  await vi.advanceTimersByTimeAsync(0);
  t.emit(message('b', 3));
  await removed;
  expect(s.made[1]?.rooms()).toEqual(['a']);
  expect(got.map((m) => `${m.room}${m.seq}`)).toEqual(['a1', 'b1', 'b2']);
  expect(client.rooms).toEqual(['a']);
});

test('a transport opened before a room was added is brought in step when it comes online', async () => {
  const s = scripted(() => undefined);
  const client = new ChatClient({ servers: [A], room: 'a', nick: 'ann', transports: s.factories, via: 'ws' });
  clients.push(client);
  const started = client.start();
  await vi.advanceTimersByTimeAsync(0);
  s.made[0]!.accept();
  await started;

  // A switch starts opening sse (with room a only); meanwhile b is added (a reopen of ws with a and b).
  const switched = client.switchVia('sse');
  await vi.advanceTimersByTimeAsync(0);
  const added = client.addRoom('b');
  await vi.advanceTimersByTimeAsync(0);
  const [, sse, ws2] = s.made;
  expect([sse?.via, sse?.rooms()]).toEqual(['sse', ['a']]);
  expect([ws2?.via, ws2?.rooms()]).toEqual(['ws', ['a', 'b']]);
  ws2?.accept();
  await added;
  // The switch finishes last and wins: its transport lacks b, so the client reopens it with both.
  sse?.accept();
  await switched;
  await vi.advanceTimersByTimeAsync(0);
  const last = s.made[3];
  expect([last?.via, last?.rooms()]).toEqual(['sse', ['a', 'b']]);
  last?.accept();
  await vi.advanceTimersByTimeAsync(0);
  last?.emit(hello('b', 0));
  last?.emit(message('b', 1));
  expect(client.cursorOf('b').seq).toBe(1);
  expect(client.state).toMatchObject({ name: 'online', via: 'sse' });
  expect(s.made.filter((t) => !t.closed)).toEqual([last]);
});
