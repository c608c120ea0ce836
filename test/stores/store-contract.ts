/**
 * The behaviour every Store must show, as a reusable vitest suite. Each store's
 * test file calls `describeStoreContract` with a factory that makes a fresh
 * store (and, for persistent stores, a way to reopen it on the same data).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/index.js';
import { EventLog, uniqueRoom } from './event-log.js';
import {
  ALL,
  session,
  type ContractOptions,
  type ContractSuite,
  type MakeStoreOptions,
  type StoreFixture,
} from './fixture.js';
import { identityContract } from './identity-contract.js';
import { presenceContract } from './presence-contract.js';
import { readMarkerContract } from './read-marker-contract.js';
import { searchContract } from './search-contract.js';

export { EventLog, uniqueRoom };

export function describeStoreContract(
  name: string,
  makeStore: (options: MakeStoreOptions) => Promise<StoreFixture>,
  contract: ContractOptions = {},
): void {
  const batchesPerTick = contract.batchesPerTick ?? true;
  // Registered only where it applies: a skipped test would prove nothing.
  const itPersistent = (title: string, fn: () => Promise<void>): void => {
    if (contract.persistent) it(title, fn);
  };

  describe(`Store contract: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    async function make(options: MakeStoreOptions = {}): Promise<StoreFixture> {
      const fixture = await makeStore(options);
      cleanups.push(fixture.cleanup);
      return fixture;
    }
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });
    const suite: ContractSuite = { make, itPersistent };

    describe('identity', () => identityContract(() => make(), itPersistent));
    describe('read markers', () => readMarkerContract(() => make(), itPersistent));

    it('creates rooms on demand with an epoch, head 0 and tail 1', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      expect(await store.roomState(room)).toBeUndefined();
      const state = await store.ensureRoom(room);
      expect(state).toMatchObject({ room, head: 0, tail: 1 });
      expect(state.epoch).toMatch(/^\S{8,}$/);
      expect(await store.ensureRoom(room)).toEqual(state);
      expect(await store.roomState(room)).toEqual(state);
      expect((await store.listRooms()).map((r) => r.room)).toContain(room);
      expect(store.writable).toBe(true);
    });

    it('gives 500 concurrent appends the seqs 1..500 without holes', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      const before = Date.now();
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) => store.append({ room, nick: 'ann', text: `m${i}` })),
      );
      expect(results.every((r) => r.status === 'created')).toBe(true);
      expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      for (const { message } of results) {
        expect(message.cid).toMatch(/^srv-[A-Za-z0-9_-]+$/);
        expect(message.ts).toBeGreaterThanOrEqual(before);
        expect(message.ts).toBeLessThanOrEqual(Date.now());
      }
      expect(new Set(results.map((r) => r.message.cid)).size).toBe(500);
      expect(await store.roomState(room)).toMatchObject({ head: 500, tail: 1 });
      const read = await store.read(room, 0, 1000);
      expect(read.map((m) => m.text)).toEqual(results.map((r) => r.message.text));
      expect(read[0]).toEqual(results[0]!.message);
    });

    it('numbers each room on its own', async () => {
      const { store } = await make();
      const [a, b] = [uniqueRoom('a'), uniqueRoom('b')];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.append({ room: i % 2 ? a : b, nick: 'n', text: `t${i}` })),
      );
      const seqs = (room: string): number[] => results.filter((r) => r.message.room === room).map((r) => r.message.seq);
      expect(seqs(a)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(seqs(b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.read(a, 0, 100)).every((m) => m.room === a)).toBe(true);
    });

    it('reads after a seq, in order, at most limit', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      for (let i = 1; i <= 30; i++) await store.append({ room, nick: 'ann', cid: `c${i}`, text: `t${i}` });
      const page = await store.read(room, 10, 5);
      expect(page.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15]);
      expect(page[0]).toMatchObject({ type: 'message', room, seq: 11, nick: 'ann', cid: 'c11', text: 't11' });
      expect((await store.read(room, 28, 100)).map((m) => m.seq)).toEqual([29, 30]);
      expect(await store.read(room, 30, 100)).toEqual([]);
      expect(await store.read(room, 99, 100)).toEqual([]);
      expect(await store.read(uniqueRoom(), 0, 100)).toEqual([]);
    });

    it('keeps the last `retain` messages and moves the tail', async () => {
      const { store } = await make({ retain: 5 });
      const room = uniqueRoom();
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.append({ room, nick: 'n', text: `t${i + 1}` })));
      for (let i = 9; i <= 12; i++) await store.append({ room, nick: 'n', text: `t${i}` });
      expect(await store.roomState(room)).toMatchObject({ head: 12, tail: 8 });
      expect((await store.read(room, 0, 100)).map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
      expect((await store.read(room, 3, 2)).map((m) => m.seq)).toEqual([8, 9]);
      expect((await store.read(room, 9, 100)).map((m) => m.text)).toEqual(['t10', 't11', 't12']);
    });

    it('answers a retried send with the original message', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      const s = session();
      const first = await store.append({ room, nick: 'ann', session: s, cid: 'x1', text: 'hello' });
      expect(first.status).toBe('created');
      const again = await store.append({ room, nick: 'ann', session: s, cid: 'x1', text: 'hello' });
      expect(again).toEqual({ status: 'duplicate', message: first.message });
      // Another session, or no session, is another key.
      const other = await store.append({ room, nick: 'bob', session: session(), cid: 'x1', text: 'hello' });
      const anon1 = await store.append({ room, nick: 'cy', cid: 'x1', text: 'hello' });
      const anon2 = await store.append({ room, nick: 'cy', cid: 'x1', text: 'hello' });
      expect([other.status, anon1.status, anon2.status]).toEqual(['created', 'created', 'duplicate']);
      expect(anon2.message.seq).toBe(anon1.message.seq);
      // The same key in another room is another key.
      expect(
        (await store.append({ room: uniqueRoom(), nick: 'ann', session: s, cid: 'x1', text: 'hello' })).status,
      ).toBe('created');
      expect((await store.roomState(room))?.head).toBe(3);
    });

    it('stores a send once when its retry lands in the same batch', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      const log = new EventLog();
      store.subscribe(log.listener);
      const s = session();
      const input = { room, nick: 'ann', session: s, cid: 'dup', text: 'once' };
      const results = await Promise.all([
        store.append(input),
        store.append(input),
        store.append({ ...input, cid: 'z' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['created', 'duplicate', 'created']);
      expect(results[1].message.seq).toBe(results[0].message.seq);
      expect(results[1].message.ts).toBe(results[0].message.ts);
      await log.until((e) => e.kind === 'messages' && e.messages.some((m) => m.cid === 'z'));
      expect(log.messages(room).map((m) => m.cid)).toEqual(['dup', 'z']);
      expect((await store.read(room, 0, 10)).length).toBe(2);
    });

    it('refuses a known key with another text as conflict', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      const s = session();
      await store.append({ room, nick: 'ann', session: s, cid: 'k', text: 'one' });
      const err = await store.append({ room, nick: 'ann', session: s, cid: 'k', text: 'two' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe('conflict');
      // A conflict in a batch fails alone.
      const mixed = await Promise.allSettled([
        store.append({ room, nick: 'ann', session: s, cid: 'k', text: 'three' }),
        store.append({ room, nick: 'ann', session: s, cid: 'k2', text: 'fine' }),
      ]);
      expect(mixed.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
      expect(await store.roomState(room)).toMatchObject({ head: 2 });
    });

    it('keeps keys idempotent after their messages were trimmed', async () => {
      const { store } = await make({ retain: 2 });
      const room = uniqueRoom();
      const s = session();
      const first = await store.append({ room, nick: 'ann', session: s, cid: 'old', text: 'first' });
      for (let i = 0; i < 5; i++) await store.append({ room, nick: 'ann', text: `t${i}` });
      expect((await store.roomState(room))?.tail).toBe(5);
      const again = await store.append({ room, nick: 'ann', session: s, cid: 'old', text: 'first' });
      expect(again.status).toBe('duplicate');
      expect(again.message).toMatchObject({ seq: 1, cid: 'old', text: 'first', nick: 'ann', ts: first.message.ts });
      await expect(store.append({ room, nick: 'ann', session: s, cid: 'old', text: 'other' })).rejects.toMatchObject({
        code: 'conflict',
      });
    });

    it('announces committed messages in seq order, batch by batch', async () => {
      const { store } = await make();
      const room = uniqueRoom();
      const other = uniqueRoom();
      const log = new EventLog();
      const unsubscribe = store.subscribe(log.listener);
      await Promise.all([
        store.append({ room, nick: 'a', text: '1' }),
        store.append({ room: other, nick: 'a', text: 'x' }),
        store.append({ room, nick: 'a', text: '2' }),
        store.append({ room, nick: 'a', text: '3' }),
      ]);
      await log.until((e) => e.kind === 'messages' && e.room === room && e.messages.some((m) => m.seq === 3));
      if (batchesPerTick) {
        const batches = log.events.filter((e) => e.kind === 'messages' && e.room === room);
        expect(batches).toHaveLength(1);
      }
      for (let i = 4; i <= 20; i++) void store.append({ room, nick: 'a', text: String(i) });
      await log.until((e) => e.kind === 'messages' && e.room === room && e.messages.some((m) => m.seq === 20));
      expect(log.messages(room).map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
      expect(log.messages(room).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(log.messages(other).map((m) => m.text)).toEqual(['x']);
      unsubscribe();
      await store.append({ room, nick: 'a', text: 'late' });
      expect(log.messages(room)).toHaveLength(20);
    });

    presenceContract(suite);
    searchContract(suite);

    it('commits pending appends on close', async () => {
      const fixture = await make();
      const room = uniqueRoom();
      const pending = fixture.store.append({ room, nick: 'ann', cid: 'last', text: 'bye' });
      await fixture.store.close();
      expect((await pending).status).toBe('created');
      await expect(fixture.store.append({ room, nick: 'ann', text: 'after close' })).rejects.toMatchObject({
        code: 'shutting_down',
      });
      if (fixture.reopen === undefined) return;
      const store = await fixture.reopen();
      expect((await store.read(room, 0, 10)).map((m) => m.text)).toEqual(['bye']);
      await store.close();
    });

    itPersistent('keeps rooms, epochs, heads and cids across a reopen (persistent stores)', async () => {
      const fixture = await make({ retain: 3 });
      if (fixture.reopen === undefined) throw new Error('a persistent store fixture must give reopen');
      const room = uniqueRoom();
      const s = session();
      const first = await fixture.store.append({ room, nick: 'ann', session: s, cid: 'c1', text: 'one' });
      for (let i = 2; i <= 5; i++) await fixture.store.append({ room, nick: 'ann', text: `t${i}` });
      const before = await fixture.store.roomState(room);
      const empty = await fixture.store.ensureRoom(uniqueRoom());
      const presenceBefore = await fixture.store.presence(room, ALL);
      await fixture.store.close();

      const store = await fixture.reopen();
      try {
        expect(await store.roomState(room)).toEqual(before);
        expect(await store.roomState(empty.room)).toEqual(empty);
        expect(before).toMatchObject({ head: 5, tail: 3 });
        expect((await store.read(room, 0, 10)).map((m) => m.text)).toEqual(['t3', 't4', 't5']);
        const again = await store.append({ room, nick: 'ann', session: s, cid: 'c1', text: 'one' });
        expect(again).toEqual({ status: 'duplicate', message: first.message });
        await expect(store.append({ room, nick: 'ann', session: s, cid: 'c1', text: 'uno' })).rejects.toMatchObject({
          code: 'conflict',
        });
        expect((await store.append({ room, nick: 'ann', text: 't6' })).message.seq).toBe(6);
        expect((await store.presence(room, ALL)).version).toBeGreaterThanOrEqual(presenceBefore.version);
      } finally {
        await store.close();
      }
    });
  });
}
