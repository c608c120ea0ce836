/**
 * The client's connection state machine (src/client/lifecycle.ts) as a unit:
 * scripted transports (test/client/fake-transport.ts) and fake timers, so
 * fallback, backoff, failover, giving up and the reopen overlap are each
 * shown step by step, in virtual time, without waiting out a real delay.
 * The same machine against a real server: resilience.test.ts.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { ClientError, isClientError } from '../../src/client/errors.js';
import type { ChatClientOptions, ConnectionState } from '../../src/client/types.js';
import { EPOCH, message, scripted, type Script } from './fake-transport.js';

const ROOM = 'lobby';
const [A, B, C] = ['http://a.test:7878', 'http://b.test:7878', 'http://c.test:7878'];

let clients: ChatClient[] = [];

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(async () => {
  for (const c of clients) await c.stop();
  clients = [];
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function setup(script: Script, options: Partial<ChatClientOptions> = {}) {
  const fakes = scripted(script);
  const client = new ChatClient({ servers: [A], room: ROOM, nick: 'ann', transports: fakes.factories, ...options });
  clients.push(client);
  const states: ConnectionState[] = [];
  client.on('state', ({ newState }) => states.push(newState));
  const warnings: string[] = [];
  client.on('warning', (w) => warnings.push(w));
  const seqs: number[] = [];
  client.on('message', (m) => seqs.push(m.seq));
  return { client, ...fakes, states, warnings, seqs };
}

/** Starts the client; the returned promise settles with undefined once online, or with the error. */
function start(client: ChatClient): Promise<unknown> {
  return client.start().then(
    () => undefined,
    (err: unknown) => err,
  );
}

test('auto tries ws, then sse, then longpoll, each bounded by the connect timeout', async () => {
  const s = setup(
    (t) => {
      // ws never answers; sse is refused; longpoll works.
      if (t.via === 'sse') t.refuse();
      if (t.via === 'longpoll') t.accept();
    },
    { connectTimeoutMs: 1000 },
  );
  const vias: unknown[] = [];
  s.client.on('via', (change) => vias.push(change));
  const started = start(s.client);
  await vi.advanceTimersByTimeAsync(999);
  expect(s.made.map((t) => t.via)).toEqual(['ws']);
  await vi.advanceTimersByTimeAsync(1);
  expect(await started).toBeUndefined();
  expect(s.made.map((t) => t.via)).toEqual(['ws', 'sse', 'longpoll']);
  expect(s.made[0]?.closed, 'the ws attempt that timed out is closed').toBe(true);
  expect(s.client.state).toEqual({ name: 'online', via: 'longpoll', server: A });
  expect(vias).toEqual([{ from: undefined, to: 'longpoll' }]);
  // One warning for the whole fallback, not one per transport (nor again on every reconnect).
  expect(s.warnings).toEqual([
    `ws failed (ws did not connect within 1000 ms), sse failed (connect ECONNREFUSED ${A}) on ${A}; using longpoll`,
  ]);
});

test('reconnect delays are full jitter: the highest draw waits min(maxMs, minMs * 2^n), never longer', async () => {
  vi.spyOn(Math, 'random').mockReturnValue(0.999999);
  const s = setup((t) => t.refuse(), { via: 'ws', backoff: { minMs: 100, maxMs: 1000 } });
  void start(s.client);
  await vi.advanceTimersByTimeAsync(0);
  expect(s.made).toHaveLength(1);
  for (let attempt = 1; attempt <= 6; attempt++) {
    const state = s.states.at(-1);
    if (state?.name !== 'reconnecting') throw new Error(`expected reconnecting, got ${state?.name ?? 'nothing'}`);
    expect(state.attempt).toBe(attempt);
    // The next attempt starts exactly when its delay is over, not a millisecond before.
    await vi.advanceTimersByTimeAsync(state.nextInMs - 1);
    expect(s.made).toHaveLength(attempt);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.made).toHaveLength(attempt + 1);
  }
  const delays = s.states.flatMap((st) => (st.name === 'reconnecting' ? [st.nextInMs] : []));
  expect(delays.slice(0, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
});

test('reconnect delays are full jitter: the lowest draw retries at once', async () => {
  vi.spyOn(Math, 'random').mockReturnValue(0);
  let opens = 0;
  const s = setup((t) => (++opens <= 3 ? t.refuse() : t.accept()), {
    via: 'ws',
    backoff: { minMs: 100, maxMs: 1000 },
  });
  const started = start(s.client);
  // A zero delay is still a timer (Node runs it after at least 1 ms), far below the 100 ms base.
  await vi.advanceTimersByTimeAsync(10);
  expect(await started).toBeUndefined();
  const delays = s.states.flatMap((st) => (st.name === 'reconnecting' ? [st.nextInMs] : []));
  expect(delays).toEqual([0, 0, 0]);
  expect(s.made).toHaveLength(4);
});

test('each failed attempt fails over to the next server, round the list', async () => {
  let cUp = true;
  const s = setup(
    (t) => {
      if (t.server === C && cUp) t.accept();
      else if (t.server === A && !cUp) t.accept();
      else t.refuse();
    },
    { servers: [A, B, C], via: 'ws', backoff: { minMs: 10, maxMs: 10 } },
  );
  const started = start(s.client);
  await vi.advanceTimersByTimeAsync(100);
  expect(await started).toBeUndefined();
  expect(s.client.state).toEqual({ name: 'online', via: 'ws', server: C });
  // A drop retries the server that worked; when it refuses, the next one is A again.
  cUp = false;
  s.made.at(-1)?.drop();
  await vi.advanceTimersByTimeAsync(100);
  expect(s.made.map((t) => t.server)).toEqual([A, B, C, C, A]);
  expect(s.client.state).toEqual({ name: 'online', via: 'ws', server: A });
});

test('maxAttempts failures in a row end in offline, and start() rejects with unreachable', async () => {
  const s = setup((t) => t.refuse(), { servers: [A, B], maxAttempts: 3, backoff: { minMs: 10, maxMs: 50 } });
  const started = start(s.client);
  await vi.advanceTimersByTimeAsync(1000);
  const err = await started;
  expect(isClientError(err) && err.code).toBe('unreachable');
  expect(String(err)).toMatch(/gave up after 3 attempts/);
  expect(s.client.state).toEqual({ name: 'offline', reason: 'unreachable' });
  const made = s.made.length;
  await vi.advanceTimersByTimeAsync(60_000);
  expect(s.made.length, 'no attempt after giving up').toBe(made);
});

test('a refused token is final: no other transport, no retry', async () => {
  const s = setup((t) => t.refuse(new ClientError('unauthorized', 'server refused the token', { status: 401 })));
  const started = start(s.client);
  await vi.advanceTimersByTimeAsync(60_000);
  const err = await started;
  expect(isClientError(err) && err.code).toBe('unauthorized');
  expect(s.made.map((t) => t.via)).toEqual(['ws']);
  expect(s.client.state).toEqual({ name: 'offline', reason: 'unauthorized' });
});

test('a switch opens the new transport from the cursor, then closes the old one: nothing lost or doubled', async () => {
  const s = setup((t) => {
    if (t.via === 'ws') t.accept(2);
  });
  const started = start(s.client);
  await vi.advanceTimersByTimeAsync(0);
  expect(await started).toBeUndefined();
  const ws = s.made[0]!;
  ws.emit(message(ROOM, 1));
  ws.emit(message(ROOM, 2));

  const switched = s.client.switchVia('sse');
  await vi.advanceTimersByTimeAsync(0);
  const sse = s.made[1]!;
  expect(sse.via).toBe('sse');
  expect(sse.options.rooms[0]?.position).toEqual({ after: 2, epoch: EPOCH });
  // While the new one opens, the old one still delivers.
  ws.emit(message(ROOM, 3));
  expect(ws.closed).toBe(false);
  // The new stream starts at its position, overlapping what the old one delivered meanwhile.
  sse.accept(4);
  sse.emit(message(ROOM, 3));
  sse.emit(message(ROOM, 4));
  ws.emit(message(ROOM, 4));
  await switched;
  sse.emit(message(ROOM, 5));

  expect(s.log).toEqual([`open ws ${A}`, 'opened ws', `open sse ${A}`, 'opened sse', 'close ws']);
  expect(s.seqs).toEqual([1, 2, 3, 4, 5]);
  expect(s.client.state).toEqual({ name: 'online', via: 'sse', server: A });
});
