import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/server/stores/local/memory-store.js';
import { describeStoreContract, uniqueRoom } from './store-contract.js';

describeStoreContract('MemoryStore', async ({ retain }) => {
  const store = new MemoryStore({ retain });
  await store.open();
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore', () => {
  it('gives each process a new epoch', async () => {
    const [a, b] = [new MemoryStore(), new MemoryStore()];
    const room = uniqueRoom();
    expect((await a.ensureRoom(room)).epoch).not.toBe((await b.ensureRoom(room)).epoch);
    await Promise.all([a.close(), b.close()]);
  });

  it('forgets cids after their time to live', async () => {
    const store = new MemoryStore({ cidTtlMs: 0 });
    const room = uniqueRoom();
    await store.append({ room, nick: 'ann', cid: 'c', text: 'a' });
    const again = await store.append({ room, nick: 'ann', cid: 'c', text: 'b' });
    expect(again).toMatchObject({ status: 'created', message: { seq: 2 } });
    await store.close();
  });

  it('refuses a retain below 1', () => {
    expect(() => new MemoryStore({ retain: 0 })).toThrow(RangeError);
  });
});
