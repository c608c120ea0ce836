/**
 * The identity part of the store contract (accounts and private rooms),
 * registered by `describeStoreContract` so every store runs it.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AccountRecord } from '../../src/server/stores/identity-store.js';
import type { StoreFixture } from './fixture.js';

function account(name: string, hash = 'scrypt$x'): AccountRecord {
  return { name, hash, created: 1_764_000_000_000, rotated: 1_764_000_000_000 };
}

function uniqueName(): string {
  return `u${randomBytes(5).toString('hex')}`;
}

export function identityContract(
  make: () => Promise<StoreFixture>,
  itPersistent: (title: string, fn: () => Promise<void>) => void,
): void {
  it('keeps accounts: put, get, list, replace and remove', async () => {
    const { store } = await make();
    const id = store.identity;
    expect(await id.hasAccounts()).toBe(false);
    expect(await id.getAccount('ann')).toBeUndefined();
    const [b, a] = [uniqueName(), uniqueName()].sort().reverse() as [string, string];
    await id.putAccount(account(b));
    await id.putAccount(account(a));
    expect(await id.hasAccounts()).toBe(true);
    expect(await id.getAccount(a)).toEqual(account(a));
    expect((await id.listAccounts()).map((r) => r.name)).toEqual([a, b]);
    // A rotation replaces the hash: the old one is gone at once.
    const rotated = { ...account(a, 'scrypt$y'), rotated: 1_764_000_000_999 };
    await id.putAccount(rotated);
    expect(await id.getAccount(a)).toEqual(rotated);
    expect(await id.removeAccount(a)).toBe(true);
    expect(await id.removeAccount(a)).toBe(false);
    expect(await id.getAccount(a)).toBeUndefined();
    expect((await id.listAccounts()).map((r) => r.name)).toEqual([b]);
    await id.removeAccount(b);
    expect(await id.hasAccounts()).toBe(false);
  });

  it('keeps private rooms with sorted, distinct members', async () => {
    const { store } = await make();
    const id = store.identity;
    expect(await id.getRoomAccess('ops')).toBeUndefined();
    await id.putRoomAccess({ room: 'ops', members: ['bob', 'ann', 'bob'] });
    await id.putRoomAccess({ room: 'empty', members: [] });
    expect(await id.getRoomAccess('ops')).toEqual({ room: 'ops', members: ['ann', 'bob'] });
    expect(await id.getRoomAccess('empty')).toEqual({ room: 'empty', members: [] });
    await id.putRoomAccess({ room: 'ops', members: ['carl'] });
    expect(await id.listRoomAccess()).toEqual([
      { room: 'empty', members: [] },
      { room: 'ops', members: ['carl'] },
    ]);
    expect(await id.removeRoomAccess('ops')).toBe(true);
    expect(await id.removeRoomAccess('ops')).toBe(false);
    expect(await id.getRoomAccess('ops')).toBeUndefined();
  });

  it("lists an account's private rooms, following member changes", async () => {
    const { store } = await make();
    const id = store.identity;
    const [ann, bob] = [uniqueName(), uniqueName()];
    expect(await id.listRoomAccessOf(ann)).toEqual([]);
    await id.putRoomAccess({ room: 'ops', members: [ann, bob] });
    await id.putRoomAccess({ room: 'dev', members: [ann] });
    await id.putRoomAccess({ room: 'hr', members: [bob] });
    expect((await id.listRoomAccessOf(ann)).map((a) => a.room)).toEqual(['dev', 'ops']);
    expect(await id.listRoomAccessOf(bob)).toEqual([
      { room: 'hr', members: [bob] },
      { room: 'ops', members: [ann, bob].sort() },
    ]);
    await id.putRoomAccess({ room: 'ops', members: [bob] });
    expect((await id.listRoomAccessOf(ann)).map((a) => a.room)).toEqual(['dev']);
    await id.removeRoomAccess('dev');
    expect(await id.listRoomAccessOf(ann)).toEqual([]);
    expect((await id.listRoomAccessOf(bob)).map((a) => a.room)).toEqual(['hr', 'ops']);
  });

  itPersistent('keeps accounts and private rooms across a reopen', async () => {
    const fixture = await make();
    if (fixture.reopen === undefined) throw new Error('a persistent store fixture must give reopen');
    const name = uniqueName();
    await fixture.store.identity.putAccount(account(name));
    await fixture.store.identity.putRoomAccess({ room: 'ops', members: [name] });
    await fixture.store.close();
    const store = await fixture.reopen();
    try {
      expect(await store.identity.getAccount(name)).toEqual(account(name));
      expect(await store.identity.getRoomAccess('ops')).toEqual({ room: 'ops', members: [name] });
    } finally {
      await store.close();
    }
  });
}
