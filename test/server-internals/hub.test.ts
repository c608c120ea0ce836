/**
 * The hub with a real MemoryStore and an in-memory connection that records
 * what the transport would write: encode-once sharing, per-tick coalescing,
 * lossless joins under concurrent appends, paced catch-up, and overflow.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Hub } from '../../src/server/hub.js';
import { silentLogger } from '../../src/server/logger.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import { MemoryStore } from '../../src/server/stores/local/memory-store.js';
import { waitFor } from '../helpers/wait-for.js';
import { RecordingConnection } from './recording-connection.js';

let store: MemoryStore;
let hub: Hub;

async function setup(): Promise<void> {
  store = new MemoryStore();
  await store.open();
  hub = new Hub({ store, logger: silentLogger(), metrics: new ServerMetrics(), history: 50, heartbeatMs: 50 });
}

function connect(maxBufferBytes = 1024 * 1024, slowReaderMs = 10_000): RecordingConnection {
  const conn = new RecordingConnection({ host: hub, address: '127.0.0.1', maxBufferBytes, slowReaderMs });
  hub.connectionOpened(conn);
  return conn;
}

async function fill(room: string, n: number, text = 'x'): Promise<void> {
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) all.push(store.append({ room, nick: 'n', text: `${text}${i}` }));
  await Promise.all(all);
}

afterEach(async () => {
  await hub.close();
  await store.close();
});

describe('Hub', () => {
  it('shares one encoded event between subscribers and writes a tick of messages as one batch', async () => {
    await setup();
    const a = connect();
    const b = connect();
    await hub.join(a, 'room', { after: 0 });
    await hub.join(b, 'room', { after: 0 });
    await waitFor(() => a.events().some((e) => e.type === 'hello') && b.events().some((e) => e.type === 'hello'));
    // Let both go live (an empty catch-up read) before the burst.
    await waitFor(() => a.batches.length > 0 && b.batches.length > 0);
    const before = [a.batches.length, b.batches.length];
    await fill('room', 5);
    await waitFor(() => a.seqs().length === 5 && b.seqs().length === 5, { what: '5 messages on both' });
    const aMsgs = a.batches
      .slice(before[0])
      .flat()
      .filter((e) => e.seq > 0);
    const bMsgs = b.batches
      .slice(before[1])
      .flat()
      .filter((e) => e.seq > 0);
    expect(aMsgs.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 0; i < 5; i++) expect(aMsgs[i]).toBe(bMsgs[i]);
    // One group commit, one write per connection.
    expect(a.batches.slice(before[0]).filter((batch) => batch.some((e) => e.seq > 0))).toHaveLength(1);
  });

  it('a join racing with appends gets every message once, in order', async () => {
    await setup();
    await fill('race', 30);
    const conn = connect();
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      appends.push(store.append({ room: 'race', nick: 'n', text: `t${i}` }));
      if (i === 50) void hub.join(conn, 'race', { after: 0 });
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(appends);
    await waitFor(() => conn.seqs().length >= 230, { what: '230 messages' });
    expect(conn.seqs()).toEqual(Array.from({ length: 230 }, (_, i) => i + 1));
    expect(conn.events()[0]?.type).toBe('hello');
  });

  it('pages a backlog as the socket drains, never overflowing a small buffer', async () => {
    await setup();
    await fill('backlog', 3000, 'y'.repeat(100));
    const conn = connect(32 * 1024);
    conn.slow = true;
    await hub.join(conn, 'backlog', { after: 0 });
    for (let round = 0; round < 1000 && conn.seqs().length < 3000; round++) {
      const had = conn.seqs().length;
      await waitFor(() => conn.seqs().length > had || conn.closed, { what: 'progress' });
      conn.drain();
    }
    expect(conn.closedWith).toBeUndefined();
    expect(conn.seqs()).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // Live after the backlog.
    conn.slow = false;
    conn.drain();
    await store.append({ room: 'backlog', nick: 'n', text: 'live' });
    await waitFor(() => conn.seqs().length === 3001, { what: 'the live message' });
  });

  it('a live reader hit by a burst over the bound pages the rest from the store and stays open', async () => {
    await setup();
    const conn = connect(8 * 1024);
    await hub.join(conn, 'burst', { after: 0 });
    await waitFor(() => conn.batches.length > 0);
    conn.slow = true;
    await fill('burst', 200, 'b'.repeat(200));
    for (let round = 0; round < 1000 && conn.seqs().length < 200; round++) {
      const had = conn.seqs().length;
      await waitFor(() => conn.seqs().length > had || conn.closed, { what: 'progress' });
      conn.drain();
    }
    expect(conn.closedWith).toBeUndefined();
    expect(conn.seqs()).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('closes a reader that stays full past slowReaderMs (overflow), even in a quiet room', async () => {
    await setup();
    const conn = connect(4096, 100);
    await hub.join(conn, 'slow', { after: 0 });
    await waitFor(() => conn.batches.length > 0);
    conn.slow = true;
    await fill('slow', 40, 'z'.repeat(200));
    // Never drained: the shared heartbeat notices it stays full.
    await waitFor(() => conn.closed, { what: 'the overflow close' });
    expect(conn.closedWith).toBe('overflow');
    expect(hub.connections.has(conn)).toBe(false);
  });

  it('keeps one presence member per session across connections and removes it with the last', async () => {
    await setup();
    const opts = { host: hub, address: '127.0.0.1', session: 'sessionsessionAB', nick: 'ann' };
    const a = new RecordingConnection(opts);
    const b = new RecordingConnection(opts);
    hub.connectionOpened(a);
    hub.connectionOpened(b);
    await hub.join(a, 'p', {});
    await hub.join(b, 'p', {});
    await waitFor(async () => (await store.presence('p', { offset: 0, limit: 10 })).members.length === 1);
    a.close('peer');
    expect((await store.presence('p', { offset: 0, limit: 10 })).members).toHaveLength(1);
    b.close('peer');
    await waitFor(async () => (await store.presence('p', { offset: 0, limit: 10 })).members.length === 0, {
      what: 'the member to leave',
    });
  });
});
