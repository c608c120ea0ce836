/** The store contract's search part: every store finds the same messages for the same query. */
import { expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/protocol/index.js';
import type { SearchQuery, Store } from '../../src/server/stores/store.js';
import { uniqueRoom } from './event-log.js';
import type { ContractSuite } from './fixture.js';

function query(q: string, more: Partial<Omit<SearchQuery, 'terms'>> = {}): SearchQuery {
  return { terms: parseSearchQuery(q), limit: 20, ...more };
}

/** The seqs of the hits, newest first. */
async function seqs(store: Store, room: string, q: string, more: Partial<Omit<SearchQuery, 'terms'>> = {}) {
  const page = await store.search(room, query(q, more));
  // A store that scans within a bound says so; in rooms this small it always reaches the start.
  if (page.complete !== undefined) expect(page.complete).toBe(true);
  return page.results.map((m) => m.seq);
}

const TEXTS = [
  'Deploy finished on staging', // 1
  'who broke the build?', // 2
  'the BUILD is green again', // 3
  'Café at noon', // 4
  'deploying to production now', // 5
  'build and deploy done', // 6
  'foo-bar shipped, it’s live', // 7
  'bar foo', // 8
];

export function searchContract({ make, itPersistent }: ContractSuite): void {
  it('search: finds messages by word, every word, any case, newest first', async () => {
    const { store } = await make();
    const room = uniqueRoom();
    const other = uniqueRoom('o');
    for (const text of TEXTS) await store.append({ room, nick: 'ann', text });
    await store.append({ room: other, nick: 'bob', text: 'build elsewhere' });
    expect(await seqs(store, room, 'build')).toEqual([6, 3, 2]);
    expect(await seqs(store, room, 'BUILD deploy')).toEqual([6]);
    expect(await seqs(store, room, 'cafe')).toEqual([4]);
    expect(await seqs(store, room, 'café NOON')).toEqual([4]);
    expect(await seqs(store, room, 'nothing-like-this')).toEqual([]);
    // Whole words only, unless asked for a prefix.
    expect(await seqs(store, room, 'deploy')).toEqual([6, 1]);
    expect(await seqs(store, room, 'deploy*')).toEqual([6, 5, 1]);
    expect(await seqs(store, room, 'bui* gre*')).toEqual([3]);
    // A word with punctuation inside is its parts in that order.
    expect(await seqs(store, room, 'foo-bar')).toEqual([7]);
    expect(await seqs(store, room, 'foo bar')).toEqual([8, 7]);
    const page = await store.search(room, query('green'));
    expect(page.results).toEqual(await store.read(room, 2, 1));
    expect(page.more).toBe(false);
    expect(page.next).toBeUndefined();
    expect(await seqs(store, other, 'build')).toEqual([1]);
    expect(await seqs(store, uniqueRoom('none'), 'build')).toEqual([]);
  });

  it('search: takes any text as plain words (no syntax errors)', async () => {
    const { store } = await make();
    const room = uniqueRoom();
    await store.append({ room, nick: 'ann', text: 'say "OR" and NEAR(x) col:umn ^start -minus' });
    for (const q of ['"OR"', 'NEAR(x)', 'col:umn', '^start', '-minus', 'AND "', 'say OR', '"say']) {
      expect(await seqs(store, room, q), q).toEqual([1]);
    }
    expect(await seqs(store, room, 'NOT')).toEqual([]);
  });

  it('search: pages with before and limit', async () => {
    const { store } = await make();
    const room = uniqueRoom();
    for (let i = 1; i <= 30; i++)
      await store.append({ room, nick: 'ann', text: i % 3 === 0 ? `hit ${i}` : `miss ${i}` });
    const first = await store.search(room, query('hit', { limit: 4 }));
    expect(first.results.map((m) => m.seq)).toEqual([30, 27, 24, 21]);
    expect(first).toMatchObject({ more: true, next: 21 });
    const second = await store.search(room, query('hit', { limit: 4, before: first.next }));
    expect(second.results.map((m) => m.seq)).toEqual([18, 15, 12, 9]);
    const last = await store.search(room, query('hit', { limit: 4, before: second.next }));
    expect(last.results.map((m) => m.seq)).toEqual([6, 3]);
    expect(last.more).toBe(false);
    // Exactly `limit` left: no more.
    expect(await store.search(room, query('hit', { limit: 2, before: 9 }))).toMatchObject({ more: false });
    expect(await seqs(store, room, 'hit', { before: 1 })).toEqual([]);
    expect(await seqs(store, room, 'hit', { before: 0 })).toEqual([]);
    expect(await seqs(store, room, 'hit', { before: 1e12, limit: 1 })).toEqual([30]);
  });

  it('search: drops the messages retention removed', async () => {
    const { store } = await make({ retain: 5 });
    const room = uniqueRoom();
    for (let i = 1; i <= 12; i++) await store.append({ room, nick: 'ann', text: `word ${i}` });
    expect(await seqs(store, room, 'word')).toEqual([12, 11, 10, 9, 8]);
    expect(await seqs(store, room, '3')).toEqual([]);
    expect(await seqs(store, room, '9')).toEqual([9]);
  });

  itPersistent('search: finds the same after a reopen', async () => {
    const fixture = await make({ retain: 3 });
    if (fixture.reopen === undefined) throw new Error('a persistent store fixture must give reopen');
    const room = uniqueRoom();
    for (const text of ['alpha one', 'alpha two', 'beta', 'alpha three', 'gamma']) {
      await fixture.store.append({ room, nick: 'ann', text });
    }
    await fixture.store.close();
    const store = await fixture.reopen();
    try {
      expect(await seqs(store, room, 'alpha')).toEqual([4]);
      await store.append({ room, nick: 'ann', text: 'alpha four' });
      expect(await seqs(store, room, 'ALPHA')).toEqual([6, 4]);
    } finally {
      await store.close();
    }
  });
}
