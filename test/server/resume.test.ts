/**
 * Resuming from a cursor on every transport: `after`, `epoch`, SSE's
 * `Last-Event-ID`, `reset` for a foreign cursor, `gap` past retention, and
 * the `history` sent to a reader without a cursor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GapEvent, ResetEvent, RoomEvent } from '../../src/protocol/index.js';
import {
  collectSse,
  helloOf,
  newRoom,
  openReceiver,
  poll,
  postMany,
  postMessage,
  sseUrl,
  TRANSPORTS,
  useTestServer,
  type Receiver,
} from '../helpers/index.js';

async function epochOf(url: string, room: string): Promise<string> {
  return (await helloOf(url, room)).epoch;
}

async function postSentinel(url: string, room: string): Promise<number> {
  const res = await postMessage(url, room, { nick: 'poster', text: 'sentinel' });
  expect(res.status).toBe(201);
  return (res.json as { seq: number }).seq;
}

/** The seqs a receiver got, once a sentinel sent now has arrived (so nothing extra is pending). */
async function seqsThrough(url: string, rx: Receiver, room: string, expectedBefore: number): Promise<number[]> {
  const last = await postSentinel(url, room);
  const got = await rx.untilMessages(expectedBefore + 1);
  expect(got.at(-1)?.seq).toBe(last);
  return got.map((m) => m.seq);
}

function typesOf(events: readonly RoomEvent[]): string[] {
  return events.filter((e) => e.type !== 'presence').map((e) => e.type);
}

describe('resume with after / epoch', () => {
  const srv = useTestServer();

  it.each(TRANSPORTS)('%s: after=2 with the right epoch gives 3.. and no reset or gap', async (via) => {
    const room = newRoom('after');
    await postMany(srv.url, room, 5);
    const epoch = await epochOf(srv.url, room);
    const rx = await openReceiver(via, { url: srv.url, room, after: 2, epoch });
    expect(await seqsThrough(srv.url, rx, room, 3)).toEqual([3, 4, 5, 6]);
    expect(rx.events.items.some((e) => e.type === 'reset' || e.type === 'gap')).toBe(false);
  });

  it.each(TRANSPORTS)("%s: an epoch that is not the room's gives reset, then the retained history", async (via) => {
    const room = newRoom('epoch');
    await postMany(srv.url, room, 5);
    const epoch = await epochOf(srv.url, room);
    const rx = await openReceiver(via, { url: srv.url, room, after: 2, epoch: 'not-this-rooms-epoch' });
    expect(await seqsThrough(srv.url, rx, room, 5)).toEqual([1, 2, 3, 4, 5, 6]);
    const reset = rx.events.items.find((e): e is ResetEvent => e.type === 'reset');
    expect(reset).toEqual({ type: 'reset', room, epoch, head: 5 });
    const types = typesOf(rx.events.items);
    expect(types.indexOf('reset')).toBeLessThan(types.indexOf('message'));
  });

  it.each(TRANSPORTS)('%s: after above the head gives reset, then the retained history', async (via) => {
    const room = newRoom('above');
    await postMany(srv.url, room, 5);
    const epoch = await epochOf(srv.url, room);
    const rx = await openReceiver(via, { url: srv.url, room, after: 99, epoch });
    expect(await seqsThrough(srv.url, rx, room, 5)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rx.events.items.find((e) => e.type === 'reset')).toEqual({ type: 'reset', room, epoch, head: 5 });
  });

  it('long poll: after above the head without an epoch also gives reset', async () => {
    const room = newRoom('above-noepoch');
    await postMany(srv.url, room, 2);
    const res = await poll(srv.url, room, { after: 7, timeout: 1 });
    expect(res.status).toBe(200);
    const types = typesOf(res.body.events);
    expect(types).toContain('reset');
    expect(res.body.events.filter((e) => e.type === 'message').map((e) => (e as { seq: number }).seq)).toEqual([1, 2]);
    expect(res.body.next).toBe(2);
  });
});

describe('SSE Last-Event-ID', () => {
  const srv = useTestServer();

  const cases: Array<{
    name: string;
    query: Record<string, string | number>;
    expectReset: boolean;
    expected: number[];
  }> = [
    { name: 'alone', query: {}, expectReset: false, expected: [4, 5, 6] },
    { name: 'wins over after', query: { after: 1 }, expectReset: false, expected: [4, 5, 6] },
    {
      name: 'makes the query epoch ignored',
      query: { after: 1, epoch: 'stale-epoch' },
      expectReset: false,
      expected: [4, 5, 6],
    },
    { name: 'above the head gives reset', query: { after: 1 }, expectReset: true, expected: [1, 2, 3, 4, 5, 6] },
  ];
  it.each(cases)('Last-Event-ID $name', async ({ query, expectReset, expected }) => {
    const room = newRoom('lei');
    await postMany(srv.url, room, 5);
    const lastEventId = expectReset ? '99' : '3';
    const s = await collectSse(sseUrl(srv.url, room, query), { lastEventId });
    expect(s.status).toBe(200);
    await s.events.next((e) => e.type === 'hello');
    await postSentinel(srv.url, room);
    await s.events.until((all) => all.some((e) => e.type === 'message' && e.seq === 6), 10_000, 'the sentinel');
    const items = s.events.items;
    expect(items.filter((e) => e.type === 'message').map((e) => (e as { seq: number }).seq)).toEqual(expected);
    expect(items.some((e) => e.type === 'reset')).toBe(expectReset);
    expect(items.some((e) => e.type === 'gap')).toBe(false);
  });
});

describe('retention (retain: 5) and gap', () => {
  const srv = useTestServer({ retain: 5 });
  let room: string;
  let epoch: string;
  beforeAll(async () => {
    room = newRoom('retain');
    await postMany(srv.url, room, 8);
    epoch = await epochOf(srv.url, room);
  });

  it.each(TRANSPORTS)('%s: after=1 gives gap 2..3, then messages from 4', async (via) => {
    const rx = await openReceiver(via, { url: srv.url, room, after: 1, epoch });
    const msgs = await rx.untilMessages(5);
    expect(msgs.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
    const gap = rx.events.items.find((e): e is GapEvent => e.type === 'gap');
    expect(gap).toEqual({ type: 'gap', room, from: 2, to: 3 });
    const types = typesOf(rx.events.items);
    expect(types.indexOf('gap')).toBeLessThan(types.indexOf('message'));
    expect(types.filter((t) => t === 'gap')).toHaveLength(1);
  });

  it.each(TRANSPORTS)('%s: after=0 gives the retained messages and no gap', async (via) => {
    const rx = await openReceiver(via, { url: srv.url, room, after: 0, epoch });
    const msgs = await rx.untilMessages(5);
    expect(msgs.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(rx.events.items.some((e) => e.type === 'gap' || e.type === 'reset')).toBe(false);
  });

  it('after=3 (the first missing seq is retained) gives no gap', async () => {
    const res = await poll(srv.url, room, { after: 3, epoch, timeout: 1 });
    expect(res.status).toBe(200);
    expect(typesOf(res.body.events).filter((t) => t !== 'hello')).toEqual([
      'message',
      'message',
      'message',
      'message',
      'message',
    ]);
  });
});

describe('without after: the last `history` messages (history: 3)', () => {
  const srv = useTestServer({ history: 3 });

  it.each(TRANSPORTS)('%s: hello, then messages 3..5, then live ones', async (via) => {
    const room = newRoom('history');
    await postMany(srv.url, room, 5);
    const rx = await openReceiver(via, { url: srv.url, room });
    expect(await seqsThrough(srv.url, rx, room, 3)).toEqual([3, 4, 5, 6]);
    const types = typesOf(rx.events.items);
    expect(types[0]).toBe('hello');
    expect(rx.events.items.find((e) => e.type === 'hello')).toMatchObject({
      type: 'hello',
      room,
      head: 5,
      protocol: 1,
    });
  });

  it('long poll without after answers at once with hello and the history, and next = head', async () => {
    const room = newRoom('history-poll');
    await postMany(srv.url, room, 4);
    const res = await poll(srv.url, room, { timeout: 25 });
    expect(res.status).toBe(200);
    expect(typesOf(res.body.events)).toEqual(['hello', 'message', 'message', 'message']);
    expect(res.body.next).toBe(4);
  });
});
