/**
 * ChatClient against the real server, for each transport: delivery and acks,
 * reconnect across a server restart on the same SQLite data, the outbox while
 * the server is down, and a live transport switch inside a 500-message stream.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/client/types.js';
import type { Via } from '../../src/protocol/index.js';
import { makeTempDir, poll, postMany, removeDir, startTestServer, waitFor, type TestServer } from '../helpers/index.js';
import { FAST, NO_RATE_LIMIT, Tracked, postStream, range, record, sqliteServer } from './support.js';

const NEXT: Record<Via, Via> = { ws: 'sse', sse: 'longpoll', longpoll: 'ws' };

describe.each(['ws', 'sse', 'longpoll'] as Via[])('ChatClient over %s', (via) => {
  const t = new Tracked();
  let dir: string | undefined;
  let server: TestServer | undefined;

  beforeEach(() => {
    dir = undefined;
    server = undefined;
  });
  afterEach(async () => {
    await t.stopAll();
    await server?.close();
    if (dir) await removeDir(dir);
  });

  it('delivers messages from others once and in order, acks own sends, marks them own', async () => {
    server = await startTestServer(NO_RATE_LIMIT);
    const me = t.client({ servers: [server.url], room: 'lobby', nick: 'ann', via, ...FAST });
    const other = t.client({ servers: [server.url], room: 'lobby', nick: 'bob', via: NEXT[via], ...FAST });
    const mine = record(me);
    const theirs = record(other);
    await me.start();
    await other.start();
    expect(me.state).toMatchObject({ name: 'online', via });

    for (let i = 1; i <= 20; i++) other.send(`b${i}`);
    const own = [me.send('a1'), me.send('a2'), me.send('a3')];
    const acks = await Promise.all(own.map((m) => me.whenAcked(m.cid)));
    await other.whenIdle();
    await waitFor(() => mine.messages.length >= 23 && theirs.messages.length >= 23, { what: '23 messages on both' });

    expect(mine.seqs()).toEqual(range(1, 23));
    expect(mine.messages.filter((m) => m.nick === 'bob').map((m) => m.text)).toEqual(range(1, 20).map((i) => `b${i}`));
    mine.messages.forEach((m, i) => expect(mine.own[i]).toBe(m.nick === 'ann'));
    theirs.messages.forEach((m, i) => expect(theirs.own[i]).toBe(m.nick === 'bob'));
    expect(acks.map((a) => a.cid)).toEqual(own.map((m) => m.cid));
    expect(own.every((m) => m.status === 'acked' && typeof m.seq === 'number')).toBe(true);
    expect(me.outbox()).toEqual([]);
    // Presence names both, whatever transport brought it.
    await waitFor(() => me.presence?.members.length === 2, { what: 'presence with two members' });
    // An RTT and, for live messages, delivery latency were measured. The RTT is taken inside the
    // call, so it cannot exceed the call's own duration; server and client share this machine's
    // clock, so the offset (from the fastest ping) is within half of any RTT of zero.
    const called = Date.now();
    const rtt = await me.ping();
    const elapsed = Date.now() - called;
    expect(Number.isInteger(rtt) && rtt >= 0, `rtt ${rtt}`).toBe(true);
    expect(rtt).toBeLessThanOrEqual(elapsed);
    const offset = me.latency.offsetMs;
    expect(offset).toBeTypeOf('number');
    expect(Math.abs(offset ?? Infinity)).toBeLessThanOrEqual(rtt / 2);
    expect(me.latency.ownRoundTrip.samples).toBeGreaterThan(0);
  });

  it('reconnects after the server restarts on the same data and port: no loss, no duplicates', async () => {
    dir = await makeTempDir();
    const first = await sqliteServer(t, dir);
    const me = t.client({ servers: [first.url], room: 'lobby', nick: 'ann', via, ...FAST });
    const got = record(me);
    const states: ConnectionState[] = [];
    me.on('state', (c) => states.push(c.newState));
    await me.start();
    await postMany(first.url, 'lobby', 5, { prefix: 'before' });
    await waitFor(() => got.messages.length >= 5, { what: '5 messages before the restart' });

    await first.close();
    t.servers.splice(t.servers.indexOf(first), 1);
    await waitFor(() => me.state.name === 'reconnecting', { what: 'reconnecting' });
    const second = await sqliteServer(t, dir, first.port);
    await postMany(second.url, 'lobby', 5, { prefix: 'after' });
    await waitFor(() => got.messages.length >= 10 && me.state.name === 'online', {
      what: '10 messages after the restart',
      timeoutMs: 10_000,
    });

    expect(got.seqs()).toEqual(range(1, 10));
    expect(got.messages.map((m) => m.text)).toEqual([
      ...range(1, 5).map((i) => `before${i}`),
      ...range(1, 5).map((i) => `after${i}`),
    ]);
    expect(states.some((s) => s.name === 'reconnecting' && s.attempt >= 1)).toBe(true);
    expect(me.via).toBe(via);
  });

  it('keeps sends made while the server is down and stores each once on reconnect', async () => {
    dir = await makeTempDir();
    const first = await sqliteServer(t, dir);
    const me = t.client({ servers: [first.url], room: 'lobby', nick: 'ann', via, ...FAST });
    const got = record(me);
    await me.start();
    await me.whenAcked(me.send('online').cid);

    await first.close();
    t.servers.splice(t.servers.indexOf(first), 1);
    await waitFor(() => me.state.name !== 'online', { what: 'the client to notice' });
    const queued = ['q1', 'q2', 'q3'].map((text) => me.send(text));
    expect(me.outbox().map((m) => [m.text, m.status])).toEqual([
      ['q1', 'pending'],
      ['q2', 'pending'],
      ['q3', 'pending'],
    ]);

    const second = await sqliteServer(t, dir, first.port);
    await me.whenIdle();
    expect(queued.map((m) => m.status)).toEqual(['acked', 'acked', 'acked']);
    await waitFor(() => got.messages.length >= 4, { what: 'own messages back in the stream' });

    const stored = await poll(second.url, 'lobby', { after: 0, timeout: 1 });
    const texts = stored.body.events.flatMap((e) => (e.type === 'message' ? [e.text] : []));
    expect(texts).toEqual(['online', 'q1', 'q2', 'q3']);
    expect(got.messages.map((m) => m.text)).toEqual(['online', 'q1', 'q2', 'q3']);
    expect(got.own).toEqual([true, true, true, true]);
  });

  it(`switches live to ${NEXT[via]} in a 500-message stream: every seq exactly once, in order`, async () => {
    server = await startTestServer(NO_RATE_LIMIT);
    const me = t.client({ servers: [server.url], room: 'flood', nick: 'ann', via, ...FAST });
    const got = record(me);
    const vias: string[] = [];
    me.on('via', (v) => vias.push(`${v.from ?? '-'}>${v.to}`));
    await me.start();

    // 400 in the background, the switch inside them, then 100 more that only the new transport can bring.
    const posting = postStream(server.url, 'flood', 400);
    await waitFor(() => got.messages.length >= 100, { what: '100 messages before the switch', timeoutMs: 10_000 });
    // Own sends in flight across the switch keep their cids: stored once each.
    const own = range(1, 20).map((i) => me.send(`own${i}`));
    await me.switchVia(NEXT[via]);
    expect(me.via).toBe(NEXT[via]);
    await posting;
    await postStream(server.url, 'flood', 100, 8, 'q');
    await me.whenIdle();
    await waitFor(() => got.messages.length >= 520, { what: '520 messages', timeoutMs: 15_000 });

    expect(got.seqs()).toEqual(range(1, 520));
    expect(got.messages.filter((m) => m.text.startsWith('own')).map((m) => m.text)).toEqual(own.map((m) => m.text));
    expect(got.own.filter(Boolean)).toHaveLength(20);
    expect(vias).toEqual([`->${via}`, `${via}>${NEXT[via]}`]);
    expect(me.state).toMatchObject({ name: 'online', via: NEXT[via] });
  });
});
