/**
 * The presence part of the store contract (versions, announcements without
 * members, pages in `since` order), registered by `describeStoreContract`.
 */
import { expect, it } from 'vitest';
import { EventLog, uniqueRoom } from './event-log.js';
import { ALL, session, type ContractSuite } from './fixture.js';

export function presenceContract({ make }: ContractSuite): void {
  it('bumps the presence version on every change only, and announces versions, never members', async () => {
    const { store } = await make();
    const room = uniqueRoom();
    await store.ensureRoom(room);
    const log = new EventLog();
    store.subscribe(log.listener);
    const v0 = (await store.presence(room, ALL)).version;
    const [k1, k2] = [session(), session()];
    const lists: string[] = [];
    const step = async (op: Promise<void>): Promise<void> => {
      await op;
      const snap = await store.presence(room, ALL);
      expect(snap.count).toBe(snap.members.length);
      lists.push(snap.members.map((m) => `${m.nick}/${m.via}`).join(','));
    };
    await step(store.presenceUpsert(room, { key: k1, nick: 'ann', via: 'ws', since: 1000 }));
    await store.presenceUpsert(room, { key: k1, nick: 'ann', via: 'ws', since: 1001 }); // a refresh: no change
    await step(store.presenceUpsert(room, { key: k2, nick: 'bob', via: 'sse', since: 1100 }));
    await step(store.presenceUpsert(room, { key: k1, nick: 'ann', via: 'longpoll', since: 1002 })); // via changed
    await step(store.presenceUpsert(room, { key: k1, nick: 'anna', via: 'longpoll', since: 1003 })); // nick changed
    await step(store.presenceRemove(room, k2));
    await store.presenceRemove(room, 'nobody-with-this-key');
    await step(store.presenceUpsert(room, { key: k2, nick: 'bob', via: 'ws', since: 2000 }));
    expect(lists).toEqual([
      'ann/ws',
      'ann/ws,bob/sse',
      'ann/longpoll,bob/sse',
      'anna/longpoll,bob/sse',
      'anna/longpoll',
      'anna/longpoll,bob/ws',
    ]);
    await log.until(() => log.presence(room).length >= 6);
    const events = log.presence(room);
    expect(events).toHaveLength(6);
    const versions = [v0, ...events.map((e) => e.version ?? 0)];
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
    const now = await store.presence(room, ALL);
    expect(now.version).toBe(versions.at(-1));
    expect(now.members[0]).toEqual({ nick: 'anna', via: 'longpoll', since: 1000 });
    // A change costs O(1) to announce: no member (and never a session key) rides on the event.
    const wire = JSON.stringify(events);
    for (const secret of [k1, k2, 'anna', 'bob']) expect(wire).not.toContain(secret);
    expect(Object.keys(now.members[1]!).sort()).toEqual(['nick', 'since', 'via']);
  });

  it('pages members in since order and counts them without reading the list', async () => {
    const { store } = await make();
    const room = uniqueRoom();
    for (let i = 0; i < 7; i++) {
      await store.presenceUpsert(room, { key: session(), nick: `m${i}`, via: 'ws', since: 5000 + i });
    }
    const nicks = async (offset: number, limit: number): Promise<string[]> =>
      (await store.presence(room, { offset, limit })).members.map((m) => m.nick);
    expect(await nicks(0, 3)).toEqual(['m0', 'm1', 'm2']);
    expect(await nicks(3, 3)).toEqual(['m3', 'm4', 'm5']);
    expect(await nicks(6, 3)).toEqual(['m6']);
    expect(await nicks(9, 3)).toEqual([]);
    expect(await store.presence(room, { offset: 0, limit: 0 })).toMatchObject({ count: 7, members: [] });
    expect((await store.presence(uniqueRoom(), ALL)).count).toBe(0);
  });
}
