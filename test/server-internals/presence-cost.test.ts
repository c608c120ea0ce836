/**
 * What presence costs per connection and per member, with a real MemoryStore:
 * a connection holds at most one undelivered presence per room, a paced room
 * reads the store once per interval, and long-poll members expire by bucket.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../src/protocol/index.js';
import { EncodedEvent } from '../../src/server/fanout/encoded-event.js';
import { silentLogger } from '../../src/server/logger.js';
import { LongPollMembers } from '../../src/server/fanout/long-poll-members.js';
import { PresencePacer } from '../../src/server/fanout/presence-pacer.js';
import { PresenceTracker } from '../../src/server/fanout/presence-tracker.js';
import { MemoryStore } from '../../src/server/stores/local/memory-store.js';
import type { PresencePage, PresenceSnapshot } from '../../src/server/stores/store.js';
import { waitFor } from '../helpers/wait-for.js';
import { RecordingConnection } from './recording-connection.js';

const host = { scheduleFlush: () => {}, connectionClosed: () => {}, delivered: () => {} };

function presence(room: string, version: number, count: number): EncodedEvent {
  return new EncodedEvent({ type: 'presence', room, version, count, members: [] });
}

/** A MemoryStore that counts presence reads (the store itself is real). */
class CountingStore extends MemoryStore {
  reads = 0;
  override presence(room: string, page: PresencePage): Promise<PresenceSnapshot> {
    this.reads++;
    return super.presence(room, page);
  }
}

describe('presence costs', () => {
  it('a connection keeps only the newest undelivered presence per room', () => {
    const conn = new RecordingConnection({ host, address: '127.0.0.1' });
    for (let v = 1; v <= 50; v++) conn.sendLatest('a', presence('a', v, v));
    conn.sendLatest('b', presence('b', 7, 1));
    conn.flush();
    expect(conn.events().map((e) => `${(e as PresenceEvent).room}@${(e as PresenceEvent).version}`)).toEqual([
      'a@50',
      'b@7',
    ]);
    // After a flush the next one queues again.
    conn.sendLatest('a', presence('a', 51, 51));
    conn.flush();
    expect(conn.batches).toHaveLength(2);
  });

  it('a reader that is behind gets the newest presence on drain, and is not closed for it', () => {
    const conn = new RecordingConnection({ host, address: '127.0.0.1', maxBufferBytes: 1000 });
    conn.buffered = 900;
    for (let v = 1; v <= 20; v++) conn.sendLatest('a', presence('a', v, v));
    expect(conn.closed).toBe(false);
    conn.flush();
    expect(conn.batches).toHaveLength(0);
    conn.drain();
    conn.flush();
    expect(conn.events().map((e) => (e as PresenceEvent).version)).toEqual([20]);
  });

  it('a burst of changes in one room costs one store read per interval', async () => {
    const store = new CountingStore({});
    await store.open();
    const published: PresenceEvent[] = [];
    const pacer = new PresencePacer({
      store,
      logger: silentLogger(),
      intervalMs: 300,
      listMax: 2,
      isLive: () => true,
      publish: (_room, ev) => published.push(ev.event as PresenceEvent),
    });
    store.subscribe((ev) => {
      if (ev.kind === 'presence') pacer.changed(ev.room);
    });
    for (let i = 0; i < 500; i++) {
      await store.presenceUpsert('r', { key: `k${i}`, nick: `n${i}`, via: 'ws', since: i });
    }
    await waitFor(() => published.at(-1)?.count === 500, { what: 'the final count' });
    expect(store.reads).toBeLessThan(10);
    expect(published.at(-1)).toMatchObject({ count: 500, members: [], truncated: true });
    pacer.close();
    await store.close();
  });

  it('long-poll members leave when their deadline passes, and a poll only extends it', async () => {
    const store = new MemoryStore({});
    await store.open();
    const tracker = new PresenceTracker({ store, logger: silentLogger() });
    const members = new LongPollMembers(tracker);
    const t0 = Date.now();
    await members.seen({ room: 'r', key: 'a', nick: 'ann', deadline: t0 + 5_000 });
    await members.seen({ room: 'r', key: 'b', nick: 'bob', deadline: t0 + 5_000 });
    await members.seen({ room: 'r', key: 'a', nick: 'ann', deadline: t0 + 60_000 });
    const nicks = async (): Promise<string[]> =>
      (await store.presence('r', { offset: 0, limit: 10 })).members.map((m) => m.nick);
    members.sweep(t0 + 2_000);
    expect(await nicks()).toEqual(['ann', 'bob']);
    members.sweep(t0 + 7_000);
    expect(await nicks()).toEqual(['ann']);
    expect(members.size).toBe(1);
    members.sweep(t0 + 62_000);
    expect(await nicks()).toEqual([]);
    await store.close();
  });
});
