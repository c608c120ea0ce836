/**
 * Long polling: answer at once when there is data, hold otherwise, `limit`,
 * wake-ups by messages and by presence (`pv`), and polling members.
 */
import { describe, expect, it } from 'vitest';
import type { MessageEvent, PresenceEvent } from '../../src/protocol/index.js';
import {
  helloOf,
  newRoom,
  newSession,
  openWs,
  poll,
  postMany,
  postMessage,
  presenceOf,
  useTestServer,
  waitFor,
  withTimeout,
} from '../helpers/index.js';

const srv = useTestServer();

describe('long polling', () => {
  it('answers with what exists after `after` (not holding until the timeout)', async () => {
    const room = newRoom('lp-now');
    await postMany(srv.url, room, 3);
    const { epoch } = await helloOf(srv.url, room);
    // With timeout=25 a held poll would come back empty; data proves it answered at once.
    const res = await poll(srv.url, room, { after: 1, epoch, timeout: 25 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const msgs = res.body.events.filter((e): e is MessageEvent => e.type === 'message');
    expect(msgs.map((m) => [m.seq, m.text])).toEqual([
      [2, 'm2'],
      [3, 'm3'],
    ]);
    expect(res.body.next).toBe(3);
  });

  it('holds, then answers {"events":[],"next":N} after `timeout` seconds', async () => {
    const room = newRoom('lp-hold');
    await postMany(srv.url, room, 2);
    const { epoch } = await helloOf(srv.url, room);
    const res = await poll(srv.url, room, { after: 2, epoch, timeout: 1 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ events: [], next: 2 });
  });

  it('an empty room also answers {"events":[],"next":0} after the timeout', async () => {
    const room = newRoom('lp-empty');
    const res = await poll(srv.url, room, { after: 0, timeout: 1 });
    expect(res.status).toBe(200);
    expect(res.body.events.filter((e) => e.type !== 'hello')).toEqual([]);
    expect(res.body.next).toBe(0);
  });

  it('`limit` caps the messages per answer and `next` pages through', async () => {
    const room = newRoom('lp-limit');
    await postMany(srv.url, room, 5);
    const { epoch } = await helloOf(srv.url, room);
    const pages: number[][] = [];
    let after = 0;
    while (after < 5) {
      const res = await poll(srv.url, room, { after, epoch, limit: 2, timeout: 1 });
      expect(res.status).toBe(200);
      const seqs = res.body.events.filter((e): e is MessageEvent => e.type === 'message').map((m) => m.seq);
      pages.push(seqs);
      expect(res.body.next).toBe(seqs.at(-1));
      after = res.body.next;
    }
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a held poll is woken by a new message', async () => {
    const room = newRoom('lp-wake');
    const { epoch } = await helloOf(srv.url, room);
    const session = newSession();
    const pending = poll(srv.url, room, { after: 0, epoch, session, nick: 'waiter', timeout: 25 });
    // The poller is registered once it shows up as a member.
    await waitFor(async () => (await presenceOf(srv.url, room)).members.some((m) => m.nick === 'waiter'), {
      what: 'the polling member in presence',
    });
    expect((await postMessage(srv.url, room, { nick: 'ann', text: 'wake up' })).status).toBe(201);
    const res = await withTimeout(pending, 10_000, 'the held poll to answer');
    expect(res.status).toBe(200);
    expect(res.body.events.filter((e) => e.type === 'message')).toMatchObject([{ seq: 1, text: 'wake up' }]);
    expect(res.body.next).toBe(1);
  });

  it('a polling session with a nick is a member with via "longpoll"', async () => {
    const room = newRoom('lp-member');
    const res = await poll(srv.url, room, { after: 0, session: newSession(), nick: 'pat', timeout: 1 });
    expect(res.status).toBe(200);
    const presence = await presenceOf(srv.url, room);
    expect(presence).toMatchObject({ type: 'presence', room });
    expect(presence.members).toEqual([expect.objectContaining({ nick: 'pat', via: 'longpoll' })]);
    expect(typeof presence.members[0]?.since).toBe('number');
  });
});

describe('long polling and presence (pv)', () => {
  async function roomWithMember(): Promise<{ room: string; epoch: string; version: number }> {
    const room = newRoom('lp-pv');
    const { epoch } = await helloOf(srv.url, room);
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wendy' } });
    await ws.join(room);
    const p = await waitFor(async () => {
      const snapshot = await presenceOf(srv.url, room);
      return snapshot.members.some((m) => m.nick === 'wendy') && snapshot;
    });
    return { room, epoch, version: p.version };
  }

  it('without pv no presence is sent', async () => {
    const { room, epoch } = await roomWithMember();
    const res = await poll(srv.url, room, { after: 0, epoch, timeout: 1 });
    expect(res.status).toBe(200);
    expect(res.body.events.some((e) => e.type === 'presence')).toBe(false);
  });

  it('pv below the version answers at once with the full presence', async () => {
    const { room, epoch, version } = await roomWithMember();
    expect(version).toBeGreaterThan(0);
    const res = await poll(srv.url, room, { after: 0, epoch, pv: version - 1, timeout: 25 });
    expect(res.status).toBe(200);
    const presence = res.body.events.find((e): e is PresenceEvent => e.type === 'presence');
    expect(presence).toMatchObject({ type: 'presence', room, version });
    expect(presence?.members.map((m) => [m.nick, m.via])).toEqual([['wendy', 'ws']]);
  });

  it('pv equal to the version sends no presence', async () => {
    const { room, epoch, version } = await roomWithMember();
    const res = await poll(srv.url, room, { after: 0, epoch, pv: version, timeout: 1 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ events: [], next: 0 });
  });

  it('a held poll with pv is woken by a presence change', async () => {
    const { room, epoch, version } = await roomWithMember();
    const pending = poll(srv.url, room, { after: 0, epoch, pv: version, timeout: 25 });
    const ws2 = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'xavier' } });
    await ws2.join(room);
    const res = await withTimeout(pending, 10_000, 'the held poll to answer');
    expect(res.status).toBe(200);
    const presence = res.body.events.find((e): e is PresenceEvent => e.type === 'presence');
    expect(presence, res.text).toBeDefined();
    expect(presence!.version).toBeGreaterThan(version);
    expect(presence!.members.map((m) => m.nick)).toContain('xavier');
    expect(res.body.next).toBe(0);
  });
});
