/**
 * Protocol 1.1 presence: `count` on every event, the list only up to the
 * server's limit (then `truncated`), paging on the endpoint, per-room pacing,
 * and a long-poll nick change that reaches presence.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../src/protocol/index.js';
import {
  getJson,
  newRoom,
  newSession,
  openWs,
  poll,
  presenceOf,
  useTestServer,
  waitFor,
  type WsClient,
} from '../helpers/index.js';

const LIST_MAX = 3;
const INTERVAL_MS = 1500;
const srv = useTestServer({ presenceListMax: LIST_MAX, presenceIntervalMs: INTERVAL_MS });

async function members(room: string, n: number, prefix = 'm'): Promise<WsClient[]> {
  const out: WsClient[] = [];
  for (let i = 0; i < n; i++) {
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: `${prefix}${i}` } });
    await ws.join(room);
    out.push(ws);
  }
  return out;
}

function presences(ws: WsClient): PresenceEvent[] {
  return ws.frames.items.filter((f): f is PresenceEvent => f.type === 'presence');
}

describe('presence 1.1', () => {
  it('lists members up to the limit with a count, and above it sends only the count', async () => {
    const room = newRoom('big');
    const [watcher] = await members(room, 1, 'w');
    const small = await watcher!.next<PresenceEvent>((f) => f.type === 'presence');
    expect(small).toMatchObject({ count: 1, members: [{ nick: 'w0', via: 'ws' }] });
    expect(small.truncated).toBeUndefined();

    await members(room, LIST_MAX + 2);
    const big = await watcher!.next<PresenceEvent>((f) => f.type === 'presence' && f.count === LIST_MAX + 3, 10_000);
    expect(big).toMatchObject({ type: 'presence', room, members: [], truncated: true });
    expect(await presenceOf(srv.url, room)).toMatchObject({ count: LIST_MAX + 3 });
    const rooms = (await getJson(`${srv.url}/rooms`)).json as { rooms: Array<{ room: string; members: number }> };
    expect(rooms.rooms.find((r) => r.room === room)?.members).toBe(LIST_MAX + 3);
  });

  it('pages the member list in join order', async () => {
    const room = newRoom('paged');
    await members(room, 5);
    await waitFor(async () => (await presenceOf(srv.url, room)).count === 5, { what: 'five members' });
    const page = async (q: string): Promise<PresenceEvent> =>
      (await getJson(`${srv.url}/rooms/${room}/presence?${q}`)).json as PresenceEvent;
    const first = await page('limit=2');
    expect(first).toMatchObject({ type: 'presence', room, count: 5, truncated: true });
    expect(first.members.map((m) => m.nick)).toEqual(['m0', 'm1']);
    const last = await page('limit=2&offset=4');
    expect(last.members.map((m) => m.nick)).toEqual(['m4']);
    expect(last.truncated).toBeUndefined();
    expect((await page('')).members).toHaveLength(5);
    expect((await page('limit=5000')).members).toHaveLength(5);
    const bad = await getJson(`${srv.url}/rooms/${room}/presence?offset=-1`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ type: 'error', code: 'bad_request' });
  });

  it('folds the changes of one interval into one event that carries the state at its end', async () => {
    const room = newRoom('paced');
    const [watcher] = await members(room, 1, 'w');
    await watcher!.next((f) => f.type === 'presence');
    const started = Date.now();
    const joiners = await members(room, 6, 'j');
    for (const j of joiners.slice(0, 3)) j.close();
    const last = await watcher!.next<PresenceEvent>((f) => f.type === 'presence' && f.count === 4, 15_000);
    const intervals = Math.ceil((Date.now() - started) / INTERVAL_MS);
    // Nine changes; at most one event per interval (plus the one at once after the quiet start).
    const seen = presences(watcher!).slice(1);
    expect(seen.length).toBeLessThanOrEqual(intervals + 1);
    expect(seen.length).toBeLessThan(9);
    expect(last.count).toBe(4);
    expect((await presenceOf(srv.url, room)).count).toBe(4);
  });

  it('a long-poll nick change reaches presence', async () => {
    const room = newRoom('lp-nick');
    const session = newSession();
    await poll(srv.url, room, { after: 0, session, nick: 'ann', timeout: 0 });
    await waitFor(async () => (await presenceOf(srv.url, room)).members[0]?.nick === 'ann', { what: 'ann present' });
    await poll(srv.url, room, { after: 0, session, nick: 'annie', timeout: 0 });
    const p = await waitFor(
      async () => {
        const snap = await presenceOf(srv.url, room);
        expect(snap.members.map((m) => `${m.nick}/${m.via}`)).toEqual(['annie/longpoll']);
        return snap;
      },
      { what: 'the new nick in presence' },
    );
    expect(p.count).toBe(1);
  });
});
