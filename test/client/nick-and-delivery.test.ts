/**
 * What others see of a client, against the real server on every transport:
 * `/nick` reaches presence (the same member under its new name), the
 * delivery figure counts live messages only (not history replayed by a
 * join), and /who's member pages come from GET /rooms/{room}/presence.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Via } from '../../src/protocol/index.js';
import { postMany, startTestServer, waitFor, type TestServer } from '../helpers/index.js';
import { FAST, NO_RATE_LIMIT, Tracked } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(NO_RATE_LIMIT);
});
afterAll(() => server.close());

const nicks = (c: { presence: { members: { nick: string }[] } | undefined }): string[] =>
  (c.presence?.members ?? []).map((m) => m.nick).sort();

describe.each(['ws', 'sse', 'longpoll'] as Via[])('over %s', (via) => {
  const t = new Tracked();
  afterEach(() => t.stopAll());

  it("/nick renames the member in everyone's presence: same since and transport, old nick gone", async () => {
    const room = `nick-${via}`;
    const ann = t.client({ servers: [server.url], room, nick: 'ann', via, ...FAST });
    const watcher = t.client({ servers: [server.url], room, nick: 'watcher', via: 'ws', ...FAST });
    await ann.start();
    await watcher.start();
    await waitFor(() => nicks(watcher).join() === 'ann,watcher', { what: 'ann and watcher present' });
    const before = watcher.presence?.members.find((m) => m.nick === 'ann');

    ann.setNick('annie');
    await waitFor(() => nicks(watcher).join() === 'annie,watcher', {
      what: `the new nick in presence (now ${nicks(watcher).join()})`,
    });
    const after = watcher.presence?.members.find((m) => m.nick === 'annie');
    expect(after).toEqual({ ...before, nick: 'annie' });
  });

  it('the delivery figure counts live messages, not the history a /join replays', async () => {
    const c = t.client({ servers: [server.url], room: `from-${via}`, nick: 'dee', via, ...FAST });
    await c.start();
    await waitFor(() => c.latency.offsetMs !== undefined, { what: 'a clock offset from the first ping' });
    // History of another room, stored after this client connected.
    const room = `to-${via}`;
    await postMany(server.url, room, 5, { nick: 'poster' });
    await c.joinRoom(room);
    await waitFor(() => c.cursor.seq === 5, { what: 'the history of the new room' });
    expect(c.latency.delivery.samples).toBe(0);

    await postMany(server.url, room, 1, { nick: 'poster', prefix: 'live' });
    await waitFor(() => c.cursor.seq === 6, { what: 'a live message' });
    expect(c.latency.delivery.samples).toBe(1);
  });
});

describe('presence pages', () => {
  const t = new Tracked();
  afterEach(() => t.stopAll());

  it('come from the server a page at a time; a server without paging is paged by the client', async () => {
    const room = 'pages';
    const nicks5 = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const members = nicks5.map((nick) => t.client({ servers: [server.url], room, nick, via: 'ws', ...FAST }));
    for (const m of members) await m.start();
    const reader = members[0]!;
    await waitFor(() => reader.presence?.members.length === 5, { what: 'five members' });
    const first = await reader.presencePage({ offset: 0, limit: 2 });
    const last = await reader.presencePage({ offset: 4, limit: 2 });
    expect(first).toMatchObject({ offset: 0, count: 5, truncated: true });
    expect(first.members.map((m) => m.nick)).toEqual(['m1', 'm2']);
    expect(last).toMatchObject({ offset: 4, count: 5, truncated: false });
    expect(last.members.map((m) => m.nick)).toEqual(['m5']);
  });
});
