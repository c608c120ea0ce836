/**
 * The ChatClient's edges against the real server: 401 is fatal, `auto`
 * falls back, servers fail over, maxAttempts ends in offline, dead peers
 * are detected, and gap / reset are surfaced with the cursor moved right.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../src/client/errors.js';
import { defaultTransports } from '../../src/client/transports/index.js';
import type { Transport, TransportFactory } from '../../src/client/transports/transport.js';
import type { ConnectionState } from '../../src/client/types.js';
import type { GapEvent, ResetEvent, Via } from '../../src/protocol/index.js';
import { collectSse, poll, postMany, sseUrl, startTestServer, waitFor, type TestServer } from '../helpers/index.js';
import { FAST, NO_RATE_LIMIT, Tracked, range, record } from './support.js';

const VIA_LIST: Via[] = ['ws', 'sse', 'longpoll'];

/** A URL where nothing listens: a server's port just after it closed. */
async function deadUrl(): Promise<string> {
  const s = await startTestServer();
  await s.close();
  return s.url;
}

describe('ChatClient resilience', () => {
  const t = new Tracked();
  const servers: TestServer[] = [];
  afterEach(async () => {
    await t.stopAll();
    for (const s of servers.splice(0)) await s.close();
  });
  async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
    const s = await startTestServer({ ...NO_RATE_LIMIT, ...options });
    servers.push(s);
    return s;
  }

  it.each(VIA_LIST)('a refused token is fatal over %s: start() rejects, state offline', async (via) => {
    const s = await server({ token: 'right-token' });
    const bad = t.client({ servers: [s.url], room: 'lobby', nick: 'ann', via, token: 'wrong', ...FAST });
    const err = await bad.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe('unauthorized');
    expect(bad.state).toEqual({ name: 'offline', reason: 'unauthorized' });
    const good = t.client({ servers: [s.url], room: 'lobby', nick: 'ann', via, token: 'right-token', ...FAST });
    await good.start();
    await expect(good.whenAcked(good.send('with token').cid)).resolves.toMatchObject({ seq: 1 });
  });

  it('auto takes ws when it works, and falls back to sse when ws does not connect in time', async () => {
    const s = await server();
    const plain = t.client({ servers: [s.url], room: 'lobby', nick: 'ann', ...FAST });
    await plain.start();
    expect(plain.via).toBe('ws');

    // A ws adapter whose open never completes, as behind a proxy that eats upgrades.
    const hangingWs: TransportFactory = (options, handlers) => {
      const real = defaultTransports.ws(options, handlers);
      const hanging: Transport = {
        ...real,
        via: 'ws',
        sendWindow: 1,
        open: () => new Promise<void>(() => undefined),
        close: () => real.close(),
        send: (m) => real.send(m),
        ping: () => real.ping(),
      };
      return hanging;
    };
    const fallback = t.client({
      servers: [s.url],
      room: 'lobby',
      nick: 'bob',
      via: 'auto',
      transports: { ws: hangingWs },
      ...FAST,
      connectTimeoutMs: 300,
    });
    const tried: string[] = [];
    fallback.on('state', (c) => {
      if (c.newState.name === 'connecting') tried.push(c.newState.via);
    });
    await fallback.start();
    expect(fallback.via).toBe('sse');
    expect(tried).toEqual(['sse']); // ws was the initial state, so only the move to sse is a change
    expect(fallback.state).toMatchObject({ name: 'online', via: 'sse' });
  });

  it('fails over to the next server when the first is unreachable', async () => {
    const s = await server();
    const dead = await deadUrl();
    const c = t.client({ servers: [dead, s.url], room: 'lobby', nick: 'ann', via: 'longpoll', ...FAST });
    await c.start();
    expect(c.state).toEqual({ name: 'online', via: 'longpoll', server: s.url });
  });

  it('gives up after maxAttempts: start() rejects unreachable, state offline', async () => {
    const dead = await deadUrl();
    const c = t.client({ servers: [dead], room: 'lobby', nick: 'ann', via: 'ws', maxAttempts: 3, ...FAST });
    const states: ConnectionState[] = [];
    c.on('state', (ch) => states.push(ch.newState));
    await expect(c.start()).rejects.toMatchObject({ code: 'unreachable' });
    expect(c.state).toEqual({ name: 'offline', reason: 'unreachable' });
    expect(states.flatMap((s) => (s.name === 'reconnecting' ? [s.attempt] : []))).toEqual([1, 2]);
  });

  it.each(['ws', 'sse'] as Via[])('detects a silent peer over %s and reconnects', async (via) => {
    // The server heartbeats every 15 s; a client told to expect one every 100 ms sees silence.
    const s = await server();
    const c = t.client({
      servers: [s.url],
      room: 'lobby',
      nick: 'ann',
      via,
      heartbeatMs: 100,
      pingIntervalMs: 60_000,
      ...FAST,
    });
    const reasons: string[] = [];
    c.on('state', (ch) => {
      if (ch.newState.name === 'reconnecting') reasons.push(ch.newState.reason);
    });
    await c.start();
    await waitFor(() => reasons.length > 0, { what: 'a dead-peer reconnect' });
    expect(reasons[0]).toMatch(/no data or heartbeat/);
  });

  it.each(['ws', 'sse'] as Via[])('over %s, server heartbeats alone keep a quiet stream alive', async (via) => {
    // Server heartbeats every 40 ms; the client calls silence of 2 × 150 ms dead.
    const s = await server({ heartbeatMs: 40 });
    const c = t.client({
      servers: [s.url],
      room: 'lobby',
      nick: 'ann',
      via,
      heartbeatMs: 150,
      pingIntervalMs: 60_000,
      ...FAST,
    });
    const states: string[] = [];
    c.on('state', (ch) => states.push(ch.newState.name));
    await c.start();
    // A raw stream beside it counts the server's heartbeats: 25 of them span
    // far more than the client's dead-peer threshold.
    const raw = await collectSse(sseUrl(s.url, 'lobby'));
    await waitFor(() => raw.lines.filter((l) => l.startsWith(':')).length >= 25, { what: '25 heartbeats' });
    raw.close();
    expect(states).toEqual(['online']);
  });

  it.each(VIA_LIST)('surfaces a reset over %s and accepts the replay from seq 1', async (via) => {
    const s = await server();
    await postMany(s.url, 'lobby', 3);
    const c = t.client({
      servers: [s.url],
      room: 'lobby',
      nick: 'ann',
      via,
      cursor: { seq: 40, epoch: 'an-old-epoch' },
      ...FAST,
    });
    const got = record(c);
    const resets: ResetEvent[] = [];
    c.on('reset', (r) => resets.push(r));
    await c.start();
    await waitFor(() => got.messages.length >= 3, { what: 'the replay' });
    expect(resets).toHaveLength(1);
    expect(got.seqs()).toEqual([1, 2, 3]);
    expect(c.cursor).toEqual({ seq: 3, epoch: resets[0]?.epoch });
  });

  it.each(VIA_LIST)('surfaces a gap over %s and jumps the cursor past it', async (via) => {
    const s = await server({ retain: 5 });
    await postMany(s.url, 'lobby', 20);
    const hello = (await poll(s.url, 'lobby', {})).body.events.find((e) => e.type === 'hello');
    const c = t.client({
      servers: [s.url],
      room: 'lobby',
      nick: 'ann',
      via,
      cursor: { seq: 2, epoch: hello?.type === 'hello' ? hello.epoch : '' },
      ...FAST,
    });
    const got = record(c);
    const gaps: GapEvent[] = [];
    c.on('gap', (g) => gaps.push(g));
    await c.start();
    await waitFor(() => got.messages.length >= 5, { what: 'the retained messages' });
    expect(gaps).toEqual([expect.objectContaining({ from: 3, to: 15 })]);
    expect(got.seqs()).toEqual(range(16, 20));
  });

  it.each(VIA_LIST)('over %s, a client that is not present still sends, and stays out of presence', async (via) => {
    const s = await server();
    const watcher = t.client({ servers: [s.url], room: 'lobby', nick: 'watch', via: 'ws', ...FAST });
    await watcher.start();
    const ghost = t.client({ servers: [s.url], room: 'lobby', nick: 'ghost', via, present: false, ...FAST });
    await ghost.start();
    const ack = await ghost.whenAcked(ghost.send('boo').cid);
    expect(ack.seq).toBe(1);
    const seen = record(watcher);
    await postMany(s.url, 'lobby', 1, { prefix: 'after' });
    await waitFor(() => seen.messages.length >= 1, { what: 'a later message' });
    expect(watcher.presence?.members.map((m) => m.nick)).toEqual(['watch']);
  });

  it('joinRoom moves to another room from its history; setNick changes sends and presence', async () => {
    const s = await server();
    await postMany(s.url, 'other', 3, { prefix: 'o' });
    const c = t.client({ servers: [s.url], room: 'lobby', nick: 'ann', via: 'sse', ...FAST });
    const got = record(c);
    await c.start();
    c.send('in lobby');
    await waitFor(() => got.messages.length >= 1, { what: 'the lobby message' });
    await c.joinRoom('other');
    expect(c.room).toBe('other');
    await waitFor(() => got.messages.length >= 4, { what: 'the other room' });
    expect(got.messages.map((m) => `${m.room}:${m.seq}:${m.text}`)).toEqual([
      'lobby:1:in lobby',
      'other:1:o1',
      'other:2:o2',
      'other:3:o3',
    ]);
    expect(c.cursor.seq).toBe(3);

    c.setNick('anne');
    await c.whenAcked(c.send('renamed').cid);
    await waitFor(() => got.messages.length >= 5 && c.presence?.members.some((m) => m.nick === 'anne'), {
      what: 'the new nick',
    });
    expect(got.messages[4]).toMatchObject({ nick: 'anne', text: 'renamed', room: 'other' });
    expect(c.presence?.members.map((m) => m.nick)).toEqual(['anne']);
  });

  it('refuses text the server would refuse, as a failed send, without losing later ones', async () => {
    const s = await server();
    const c = t.client({ servers: [s.url], room: 'lobby', nick: 'ann', via: 'ws', ...FAST });
    await c.start();
    const changes: string[] = [];
    c.on('outbox', (m) => changes.push(`${m.text.length}:${m.status}:${m.error ?? ''}`));
    const empty = c.send('');
    const escape = c.send('\x1b[2J');
    const fine = c.send('line one\r\nline two');
    expect(empty).toMatchObject({ status: 'failed', error: 'invalid_text' });
    await expect(c.whenAcked(escape.cid)).rejects.toMatchObject({ code: 'invalid_text' });
    await expect(c.whenAcked(fine.cid)).resolves.toMatchObject({ seq: 1 });
    expect(fine.text).toBe('line one\nline two');
    await c.whenIdle();
    expect(c.outbox().map((m) => m.status)).toEqual(['failed', 'failed']);
    expect(changes).toContain('0:failed:invalid_text');
    expect(() => c.setNick('bad\u0007nick')).toThrow(ClientError);
  });
});
