/**
 * Read markers in the store contract (per account and room, monotonic within
 * an epoch, replaced by another epoch), registered by `describeStoreContract`
 * so every store runs it, Redis included.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { StoreFixture } from './fixture.js';

const E1 = 'e1e1e1e1e1e1e1e1';
const E2 = 'e2e2e2e2e2e2e2e2';

function uniqueName(): string {
  return `r${randomBytes(5).toString('hex')}`;
}

export function readMarkerContract(
  make: () => Promise<StoreFixture>,
  itPersistent: (title: string, fn: () => Promise<void>) => void,
): void {
  it('keeps a marker per account and room that never goes back within an epoch', async () => {
    const { store } = await make();
    const id = store.identity;
    const [ann, bob] = [uniqueName(), uniqueName()];
    expect(await id.getReadMarker(ann, 'lobby')).toBeUndefined();
    expect(await id.setReadMarker(ann, 'lobby', { seq: 40, epoch: E1 })).toEqual({ seq: 40, epoch: E1 });
    // Lower and equal seqs leave the stored marker: another client of the account was behind.
    expect(await id.setReadMarker(ann, 'lobby', { seq: 12, epoch: E1 })).toEqual({ seq: 40, epoch: E1 });
    expect(await id.setReadMarker(ann, 'lobby', { seq: 40, epoch: E1 })).toEqual({ seq: 40, epoch: E1 });
    expect(await id.getReadMarker(ann, 'lobby')).toEqual({ seq: 40, epoch: E1 });
    expect(await id.setReadMarker(ann, 'lobby', { seq: 41, epoch: E1 })).toEqual({ seq: 41, epoch: E1 });
    // Another account, another room: apart.
    expect(await id.getReadMarker(bob, 'lobby')).toBeUndefined();
    await id.setReadMarker(ann, 'dev', { seq: 0, epoch: E1 });
    expect(await id.listReadMarkers(ann)).toEqual([
      { room: 'dev', seq: 0, epoch: E1 },
      { room: 'lobby', seq: 41, epoch: E1 },
    ]);
    expect(await id.listReadMarkers(bob)).toEqual([]);
  });

  it('replaces a marker of another epoch, even with a lower seq (the log started over)', async () => {
    const { store } = await make();
    const id = store.identity;
    const ann = uniqueName();
    await id.setReadMarker(ann, 'lobby', { seq: 500, epoch: E1 });
    expect(await id.setReadMarker(ann, 'lobby', { seq: 3, epoch: E2 })).toEqual({ seq: 3, epoch: E2 });
    expect(await id.getReadMarker(ann, 'lobby')).toEqual({ seq: 3, epoch: E2 });
  });

  it('never moves a marker back under concurrent writes', async () => {
    const { store } = await make();
    const id = store.identity;
    const ann = uniqueName();
    const seqs = Array.from({ length: 50 }, (_, i) => (i * 37) % 50);
    await Promise.all(seqs.map((seq) => id.setReadMarker(ann, 'lobby', { seq, epoch: E1 })));
    expect(await id.getReadMarker(ann, 'lobby')).toEqual({ seq: 49, epoch: E1 });
  });

  it("drops an account's markers with the account", async () => {
    const { store } = await make();
    const id = store.identity;
    const ann = uniqueName();
    await id.putAccount({ name: ann, hash: 'scrypt$x', created: 1, rotated: 1 });
    await id.setReadMarker(ann, 'lobby', { seq: 7, epoch: E1 });
    expect(await id.removeAccount(ann)).toBe(true);
    expect(await id.listReadMarkers(ann)).toEqual([]);
  });

  itPersistent('keeps read markers across a reopen', async () => {
    const fixture = await make();
    if (fixture.reopen === undefined) throw new Error('a persistent store fixture must give reopen');
    const ann = uniqueName();
    await fixture.store.identity.setReadMarker(ann, 'lobby', { seq: 9, epoch: E1 });
    await fixture.store.close();
    const store = await fixture.reopen();
    try {
      expect(await store.identity.getReadMarker(ann, 'lobby')).toEqual({ seq: 9, epoch: E1 });
    } finally {
      await store.close();
    }
  });
}
