/**
 * The in-process server on its SQLite store: a graceful restart on the same
 * data dir keeps the log, the epoch, the idempotency keys and the presence
 * version's growth; retention and `gap` hold on SQLite too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AckEvent, MessageEvent, PresenceEvent } from '../../src/protocol/index.js';
import {
  closeAllClients,
  getJson,
  helloOf,
  makeTempDir,
  newCid,
  newSession,
  openWs,
  poll,
  postMany,
  postMessage,
  removeDir,
  startTestServer,
  waitFor,
  type TestServer,
} from '../helpers/index.js';

let dir: string | undefined;
const servers: TestServer[] = [];
afterEach(async () => {
  closeAllClients();
  for (const s of servers.splice(0)) await s.close();
  if (dir) await removeDir(dir);
  dir = undefined;
});

async function presenceVersion(url: string, room: string, nick: string): Promise<number> {
  return waitFor(
    async () => {
      const p = (await getJson(`${url}/rooms/${room}/presence`)).json as PresenceEvent;
      return p.members.some((m) => m.nick === nick) && p.version;
    },
    { what: `${nick} in presence` },
  );
}

describe('SQLite store across a restart', () => {
  it('keeps messages, epoch and cid keys; presence versions keep growing', async () => {
    dir = await makeTempDir();
    const room = 'persist';
    const a = await startTestServer({ sqlite: true, dir });
    servers.push(a);
    const session = newSession();
    const cid = newCid();
    const ack = (await postMessage(a.url, room, { nick: 'ann', session, cid, text: 'kept' })).json as AckEvent;
    await postMany(a.url, room, 2);
    const before = await helloOf(a.url, room);
    const ws = await openWs(a.wsUrl, { query: { session: newSession(), nick: 'pre' } });
    await ws.join(room);
    const v1 = await presenceVersion(a.url, room, 'pre');
    await servers.pop()!.close();

    const b = await startTestServer({ sqlite: true, dir });
    servers.push(b);
    const after = await helloOf(b.url, room);
    expect(after.epoch).toBe(before.epoch);
    expect(after.head).toBe(3);
    const res = await poll(b.url, room, { after: 0, epoch: after.epoch, timeout: 1 });
    const msgs = res.body.events.filter((e): e is MessageEvent => e.type === 'message');
    expect(msgs.map((m) => [m.seq, m.text])).toEqual([
      [1, 'kept'],
      [2, 'm1'],
      [3, 'm2'],
    ]);
    const retry = await postMessage(b.url, room, { nick: 'ann', session, cid, text: 'kept' });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(ack);

    const ws2 = await openWs(b.wsUrl, { query: { session: newSession(), nick: 'post' } });
    await ws2.join(room);
    expect(await presenceVersion(b.url, room, 'post')).toBeGreaterThan(v1);
  });

  it('retain: 5 on SQLite keeps the last 5 and reports the gap', async () => {
    const s = await startTestServer({ sqlite: true, retain: 5 });
    servers.push(s);
    expect(s.dir).toBeDefined();
    const room = 'trimmed';
    await postMany(s.url, room, 9);
    const { epoch } = await helloOf(s.url, room);
    const all = await poll(s.url, room, { after: 0, epoch, timeout: 1 });
    expect(all.body.events.flatMap((e) => (e.type === 'message' ? [e.seq] : []))).toEqual([5, 6, 7, 8, 9]);
    const gapped = await poll(s.url, room, { after: 2, epoch, timeout: 1 });
    expect(gapped.body.events.filter((e) => e.type !== 'hello')[0]).toEqual({ type: 'gap', room, from: 3, to: 4 });
  });
});
