/**
 * The documented nginx and HAProxy configs (docs/scale-out.md, run as they
 * are but for addresses and ports) in front of two `rtchat serve --redis`
 * nodes: every transport works through them, idle streams and long polls are
 * not cut, round robin alternates and loses nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/protocol/index.js';
import {
  closeAllClients,
  collectSse,
  isBuilt,
  newRoom,
  newSession,
  openReceiver,
  openWs,
  poll,
  postMessage,
  sseUrl,
} from '../helpers/index.js';
import { startHaproxy } from '../helpers/haproxy.js';
import { startNginx } from '../helpers/nginx.js';
import type { ProxyProcess } from '../helpers/proxy-process.js';
import { messagesIn, startRedisNodes, type RedisNodes } from '../helpers/redis-nodes.js';

let cluster: RedisNodes | undefined;
const proxies: Array<{ name: string; proxy: ProxyProcess }> = [];

beforeAll(async () => {
  if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  cluster = await startRedisNodes(['--trust-proxy', '127.0.0.1']);
  proxies.push({ name: 'nginx', proxy: await startNginx(cluster.urls) });
  proxies.push({ name: 'haproxy', proxy: await startHaproxy(cluster.urls) });
}, 60_000);
afterEach(() => closeAllClients());
afterAll(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.proxy.stop()));
  await cluster?.stop();
}, 30_000);

const IDLE_MS = 70_000;
const never = new Promise<string>(() => undefined);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * Waits `ms` on purpose (the idle time is what is tested), failing as soon as
 * one of `failures` settles: a stream that ends or a socket that closes.
 */
function stayUpFor(ms: number, failures: Array<Promise<string>>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    for (const f of failures) {
      void f.then((reason) => {
        clearTimeout(timer);
        reject(new Error(reason));
      });
    }
  });
}

/** SSE, a WebSocket and a 55 s long poll through one proxy, all idle; then one message reaches them. */
async function idleThrough(name: string, url: string): Promise<void> {
  const room = newRoom(`idle-${name}`);
  const sse = await collectSse(sseUrl(url, room, { session: newSession(), nick: 'sse' }));
  expect(sse.status, `${name}: SSE`).toBe(200);
  await sse.events.next((e) => e.type === 'hello');
  const ws = await openWs(`${url.replace(/^http/, 'ws')}/ws`, { query: { session: newSession(), nick: 'ws' } });
  await ws.join(room);
  const first = await poll(url, room, { timeout: 0 });
  const hello = first.body.events.find((e) => e.type === 'hello');
  if (hello?.type !== 'hello') throw new Error(`${name}: no hello in ${first.text}`);
  const held = poll(url, room, { after: first.body.next, epoch: hello.epoch, timeout: 55 });

  await stayUpFor(IDLE_MS, [
    sse.ended.then(() => `${name}: the SSE stream ended while idle`),
    ws.closed.then((c) => `${name}: the WebSocket closed while idle (${c.code})`),
    held.then((r) => (r.status === 200 ? never : `${name}: the 55 s poll got ${r.status}: ${r.text}`)),
  ]);
  const polled = await held;
  // Answered by the node at its timeout, with nothing: not a 504 from the proxy.
  expect(polled.status, `${name}: 55 s poll`).toBe(200);
  expect(polled.body).toEqual({ events: [], next: first.body.next });

  expect((await postMessage(url, room, { nick: 'late', text: 'after 70 s' })).status).toBe(201);
  await sse.events.next((e) => e.type === 'message' && e.text === 'after 70 s');
  await ws.next((f) => f.type === 'message' && f.text === 'after 70 s');
}

describe('behind nginx and HAProxy', () => {
  it(
    'SSE and WebSocket stay open through 70 s idle, and a 55 s poll is answered by the node (both proxies at once)',
    async () => {
      await Promise.all(proxies.map(({ name, proxy }) => idleThrough(name, proxy.url)));
    },
    IDLE_MS + 60_000,
  );

  for (const name of ['nginx', 'haproxy']) {
    it(`${name}: round robin alternates; 200 sends reach every transport once, in order`, async () => {
      const { proxy } = proxies.find((p) => p.name === name)!;
      const nodes = cluster!.urls;

      const before = await Promise.all(nodes.map(messagesIn));
      const session = newSession();
      for (let i = 0; i < 20; i++) {
        expect((await postMessage(proxy.url, newRoom('rr'), { nick: 'rr', session, text: `rr${i}` })).status).toBe(201);
      }
      const after = await Promise.all(nodes.map(messagesIn));
      expect(
        after.map((n, i) => n - before[i]!),
        'sends stored by node A and node B',
      ).toEqual([10, 10]);

      const room = newRoom(`all-${name}`);
      const readers = await Promise.all(
        (['sse', 'ws', 'longpoll'] as const).map((via) => openReceiver(via, { url: proxy.url, room, after: 0 })),
      );
      const senders = Array.from({ length: 8 }, async (_, s) => {
        const sender = newSession();
        for (let i = 0; i < 25; i++) {
          const res = await postMessage(proxy.url, room, { nick: `s${s}`, session: sender, text: `s${s}-${i}` });
          if (res.status !== 201) throw new Error(`send through ${name} answered ${res.status}: ${res.text}`);
        }
      });
      await Promise.all(senders);
      for (const r of readers) {
        const got: MessageEvent[] = (await r.untilMessages(200, 20_000)).slice(0, 200);
        expect(
          got.map((m) => m.seq),
          `${r.via} through ${name}`,
        ).toEqual(range(200));
        expect(new Set(got.map((m) => m.text)).size).toBe(200);
        expect(r.messages()).toHaveLength(200);
      }
    });
  }
});
