/**
 * Two real rtchat servers (in process) on one real redis-server, with no
 * sticky sessions: every transport, on either node, sees every message once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AckEvent, ErrorEvent, MessageEvent, PresenceEvent } from '../../src/protocol/index.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { RedisStore } from '../../src/server/stores/redis/redis-store.js';
import { closeAllClients } from '../helpers/tracker.js';
import { newCid, newRoom, newSession } from '../helpers/ids.js';
import { poll, postMessage } from '../helpers/http.js';
import { openReceiver } from '../helpers/receive.js';
import { testLogger } from '../helpers/test-server.js';
import { openWs } from '../helpers/ws.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { stopIfStarted } from '../helpers/started.js';

const NO_RATE_LIMIT = { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } };

let redis: RedisServer;
const nodes: RunningServer[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ appendfsync: 'everysec' });
});
afterEach(async () => {
  closeAllClients();
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});
afterAll(async () => {
  await stopIfStarted(redis, (r) => r.cleanup());
});

/** Two nodes sharing a key prefix (one deployment) on the file's Redis. */
async function twoNodes(): Promise<[RunningServer, RunningServer]> {
  const prefix = `so${randomBytes(4).toString('hex')}:`;
  const start = (): Promise<RunningServer> =>
    startServer({
      host: '127.0.0.1',
      port: 0,
      store: new RedisStore({ url: redis.url, prefix }),
      logger: testLogger(),
      ...NO_RATE_LIMIT,
    });
  const pair = await Promise.all([start(), start()]);
  nodes.push(...pair);
  return pair;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const wsUrl = (base: string): string => `${base.replace(/^http/, 'ws')}/ws`;

/** Posts texts one after another over HTTP; returns the acked seqs. */
async function httpSender(base: string, room: string, texts: string[]): Promise<number[]> {
  const session = newSession();
  const seqs: number[] = [];
  for (const text of texts) {
    const res = await postMessage(base, room, { nick: 'http', session, cid: newCid(), text });
    if (res.status !== 201) throw new Error(`post answered ${res.status}: ${res.text}`);
    seqs.push((res.json as AckEvent).seq);
  }
  return seqs;
}

/** Sends texts over one WebSocket, a window of 25 in flight; returns the acked seqs. */
async function wsSender(base: string, room: string, texts: string[]): Promise<number[]> {
  const ws = await openWs(wsUrl(base), { query: { session: newSession(), nick: 'ws' } });
  const seqs: number[] = [];
  try {
    for (let i = 0; i < texts.length; i += 25) {
      const cids = texts.slice(i, i + 25).map((text) => {
        const cid = newCid();
        ws.send({ type: 'send', room, cid, text });
        return cid;
      });
      // Answers come by cid, in whatever order the sends were stored: take the window's in arrival order
      // (waiting for each cid in turn would skip one that arrived before the cid waited for).
      const pending = new Set(cids);
      while (pending.size > 0) {
        const ack = await ws.next<AckEvent | ErrorEvent>(
          (f) =>
            (f.type === 'ack' || f.type === 'error') && 'cid' in f && typeof f.cid === 'string' && pending.has(f.cid),
          10_000,
        );
        if (ack.type !== 'ack') throw new Error(`send refused: ${JSON.stringify(ack)}`);
        pending.delete(ack.cid);
        seqs.push(ack.seq);
      }
    }
  } finally {
    ws.close();
  }
  return seqs;
}

/** A WebSocket reader that hops to the other node after every `hop` messages, resuming from its cursor. */
async function hoppingWsReader(bases: string[], room: string, total: number, hop: number): Promise<MessageEvent[]> {
  const got: MessageEvent[] = [];
  let cursor = 0;
  for (let turn = 0; cursor < total; turn++) {
    const r = await openReceiver('ws', { url: bases[turn % bases.length]!, room, after: cursor });
    try {
      await r.untilMessages(Math.min(hop, total - cursor), 20_000);
    } finally {
      r.close();
    }
    const fresh = r.messages();
    got.push(...fresh);
    cursor = fresh[fresh.length - 1]?.seq ?? cursor;
  }
  return got;
}

describe('two nodes on one Redis', () => {
  it('delivers 1,000 messages from mixed senders to every client, in order, once', async () => {
    const [a, b] = await twoNodes();
    const room = newRoom('mix');
    const longpoll = await openReceiver('longpoll', { url: a.url, room, after: 0 });
    const sse = await openReceiver('sse', { url: b.url, room, after: 0 });
    const hopping = hoppingWsReader([a.url, b.url], room, 1000, 150);

    const texts = (tag: string): string[] => Array.from({ length: 250 }, (_, i) => `${tag}-${i}`);
    const acked = (
      await Promise.all([
        httpSender(a.url, room, texts('ha')),
        httpSender(b.url, room, texts('hb')),
        wsSender(a.url, room, texts('wa')),
        wsSender(b.url, room, texts('wb')),
      ])
    ).flat();
    expect(acked.sort((x, y) => x - y)).toEqual(range(1000));

    const expectAll = (messages: MessageEvent[]): void => {
      expect(messages.map((m) => m.seq)).toEqual(range(1000));
      expect(new Set(messages.map((m) => m.text)).size).toBe(1000);
    };
    expectAll((await longpoll.untilMessages(1000, 30_000)).slice(0, 1000));
    expectAll((await sse.untilMessages(1000, 30_000)).slice(0, 1000));
    expectAll(await hopping);
    expect(longpoll.messages()).toHaveLength(1000);
    expect(sse.messages()).toHaveLength(1000);
  });

  it('loses nothing when every long poll goes to the other node', async () => {
    const [a, b] = await twoNodes();
    const bases = [a.url, b.url];
    const room = newRoom('rr');
    const total = 300;
    const got: MessageEvent[] = [];
    const reader = (async () => {
      let after = 0;
      let epoch: string | undefined;
      for (let i = 0; got.length < total; i++) {
        const res = await poll(bases[i % 2]!, room, { after, epoch, timeout: 2 });
        expect(res.status).toBe(200);
        for (const e of res.body.events) {
          if (e.type === 'message') got.push(e);
          if (e.type === 'hello' || e.type === 'reset') epoch = e.epoch;
          expect(e.type).not.toBe('gap');
          expect(e.type).not.toBe('reset');
        }
        after = res.body.next;
      }
    })();
    const half = Array.from({ length: total / 2 }, (_, i) => `m${i}`);
    await Promise.all([
      httpSender(
        a.url,
        room,
        half.map((t) => `a-${t}`),
      ),
      httpSender(
        b.url,
        room,
        half.map((t) => `b-${t}`),
      ),
    ]);
    await reader;
    expect(got.map((m) => m.seq)).toEqual(range(total));
  });

  it('gives concurrent sends via both nodes contiguous seqs; a retry via the other node gets its 1st seq', async () => {
    const [a, b] = await twoNodes();
    const room = newRoom('cc');
    const session = newSession();
    const sends = Array.from({ length: 200 }, (_, i) => ({ node: i % 2 ? a : b, cid: `k${i}`, text: `t${i}` }));
    const first = await Promise.all(
      sends.map((s) => postMessage(s.node.url, room, { nick: 'n', session, cid: s.cid, text: s.text })),
    );
    expect(first.map((r) => r.status)).toEqual(sends.map(() => 201));
    const seqs = first.map((r) => (r.json as AckEvent).seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(range(200));
    // The same sends retried through the other node: 200 and the original seq.
    const retries = await Promise.all(
      sends.map((s) => postMessage((s.node === a ? b : a).url, room, { nick: 'n', session, cid: s.cid, text: s.text })),
    );
    expect(retries.map((r) => r.status)).toEqual(sends.map(() => 200));
    expect(retries.map((r) => (r.json as AckEvent).seq)).toEqual(seqs);
    const conflict = await postMessage(b.url, room, { nick: 'n', session, cid: 'k0', text: 'other' });
    expect(conflict.status).toBe(409);
    const stored = await poll(a.url, room, { after: 0, limit: 1000 });
    expect(stored.body.events.flatMap((e) => (e.type === 'message' ? [e.seq] : []))).toEqual(range(200));
  });
});

describe('presence across nodes', () => {
  it('shows members of both nodes to everyone and drops one when it leaves', async () => {
    const [a, b] = await twoNodes();
    const room = newRoom('pres');
    const ann = await openReceiver('ws', { url: a.url, room, session: newSession(), nick: 'ann' });
    const bob = await openReceiver('sse', { url: b.url, room, session: newSession(), nick: 'bob' });
    const names = (e: { type: string }): string =>
      e.type === 'presence'
        ? (e as PresenceEvent).members
            .map((m) => `${m.nick}/${m.via}`)
            .sort()
            .join(',')
        : '';
    await bob.events.next((e) => names(e) === 'ann/ws,bob/sse', 5000, 'both members on node B');
    await ann.events.next((e) => names(e) === 'ann/ws,bob/sse', 5000, 'both members on node A');
    ann.close();
    await bob.events.next((e) => names(e) === 'bob/sse', 5000, 'ann gone on node B');
  });
});
