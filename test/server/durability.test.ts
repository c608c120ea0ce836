/**
 * Durability of the real binary on its default (SQLite) store: 1,000 acked
 * messages survive `kill -9`, the epoch is kept, idempotency keys survive the
 * restart, and SIGTERM exits 0. Needs `npm run build` (as `npm test` does).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AckEvent, MessageEvent } from '../../src/protocol/index.js';
import {
  closeAllClients,
  helloOf,
  isBuilt,
  makeTempDir,
  newCid,
  newSession,
  poll,
  postMessage,
  removeDir,
  spawnServe,
  type ServeProcess,
} from '../helpers/index.js';

const TOTAL = 1000;
// Rate limits are per session: 50 sessions of 20 stay inside each one's burst.
const SESSIONS = 50;

let dir: string | undefined;
const procs: ServeProcess[] = [];

beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});
afterEach(async () => {
  closeAllClients();
  for (const p of procs.splice(0)) await p.stop();
  if (dir) await removeDir(dir);
  dir = undefined;
});

async function epochOf(url: string, room: string): Promise<string> {
  return (await helloOf(url, room)).epoch;
}

describe('durability of the real binary', () => {
  it('1,000 acked messages survive kill -9 and a restart on the same --data', async () => {
    dir = await makeTempDir();
    const room = 'durable';
    const first = await spawnServe(['--data', dir]);
    procs.push(first);

    const sends = Array.from({ length: SESSIONS }, () => newSession());
    const acks: Array<{ session: string; cid: string; text: string; ack: AckEvent }> = [];
    await Promise.all(
      sends.map(async (session, s) => {
        for (let i = 0; i < TOTAL / SESSIONS; i++) {
          const cid = newCid();
          const text = `s${s} m${i}`;
          const res = await postMessage(first.url, room, { nick: `n${s}`, session, cid, text });
          expect(res.status, res.text).toBe(201);
          acks.push({ session, cid, text, ack: res.json as AckEvent });
        }
      }),
    );
    expect(acks).toHaveLength(TOTAL);
    expect(new Set(acks.map((a) => a.ack.seq)).size).toBe(TOTAL);
    const epoch = await epochOf(first.url, room);

    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await spawnServe(['--data', dir]);
    procs.push(second);
    expect(await epochOf(second.url, room)).toBe(epoch);
    const res = await poll(second.url, room, { after: 0, epoch, limit: 1000, timeout: 1 });
    expect(res.status).toBe(200);
    const msgs = res.body.events.filter((e): e is MessageEvent => e.type === 'message');
    expect(msgs.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    const bySeq = new Map(msgs.map((m) => [m.seq, m]));
    for (const { cid, text, ack } of acks) {
      expect(bySeq.get(ack.seq)).toMatchObject({ cid, text, ts: ack.ts });
    }

    // The idempotency keys were stored too: a retry after the restart is not a new message.
    const retry = acks[123]!;
    const again = await postMessage(second.url, room, {
      nick: 'n',
      session: retry.session,
      cid: retry.cid,
      text: retry.text,
    });
    expect(again.status, again.text).toBe(200);
    expect((again.json as AckEvent).seq).toBe(retry.ack.seq);
    const next = await postMessage(second.url, room, {
      nick: 'n',
      session: newSession(),
      cid: newCid(),
      text: 'after restart',
    });
    expect((next.json as AckEvent).seq).toBe(TOTAL + 1);

    const exit = await second.stop(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
