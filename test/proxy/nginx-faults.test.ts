/**
 * Real clients behind the documented nginx (docs/scale-out.md) and two
 * `rtchat serve --redis --trust-proxy 127.0.0.1` nodes. Clients are told apart
 * by their loopback source address, so nginx's X-Forwarded-For is all the
 * nodes have to tell them apart.
 *
 * - Oversized bodies: a node that answered 413 and closed while nginx was
 *   still writing the body made nginx log `Broken pipe`, answer 502 and count
 *   the node as failed; a few of them took both nodes out for everyone.
 * - Client addresses: keyed on the TCP peer, every client was nginx, so one
 *   client's send budget and connection limit were everyone's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  agentFrom,
  closeAllClients,
  collectSse,
  expectUpgradeRefused,
  http,
  type HttpResult,
  isBuilt,
  newRoom,
  newSession,
  openWs,
  poll,
  postMessage,
  type SseStream,
  sseUrl,
  stopIfStarted,
  waitFor,
} from '../helpers/index.js';
import { startNginx, type NginxProcess } from '../helpers/nginx.js';
import { startRedisNodes, type RedisNodes } from '../helpers/redis-nodes.js';

const PER_IP = 4;
let cluster: RedisNodes | undefined;
let nginx: NginxProcess;

beforeAll(async () => {
  if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  cluster = await startRedisNodes(['--trust-proxy', '127.0.0.1', '--max-connections-per-ip', String(PER_IP)]);
  nginx = await startNginx(cluster.urls);
}, 60_000);
afterEach(() => closeAllClients());
afterAll(async () => {
  await stopIfStarted(nginx, (n) => n.stop());
  await cluster?.stop();
}, 30_000);

function bodyOf(size: number): string {
  const prefix = '{"nick":"big","text":"';
  return prefix + 'x'.repeat(size - prefix.length - 2) + '"}';
}

describe('oversized bodies through nginx', () => {
  it('get the JSON 413 every time, and a client polling and sending alongside never sees a 502', async () => {
    const room = newRoom('big');
    const big = agentFrom('127.0.0.4');
    const calm = agentFrom('127.0.0.5');
    const done = new AbortController();
    const calmStatuses: number[] = [];
    const calmLoop = (async () => {
      while (!done.signal.aborted) {
        calmStatuses.push((await poll(nginx.url, room, { timeout: 0 }, { dispatcher: calm })).status);
        const body = { nick: 'calm', session: newSession(), text: 'hi' };
        const sent = await postMessage(nginx.url, room, body, { dispatcher: calm });
        calmStatuses.push(sent.status);
      }
    })();

    const post = (size: number): Promise<HttpResult> =>
      http(`${nginx.url}/rooms/${room}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyOf(size),
        dispatcher: big,
      });
    // Four at a time, 50 each: an early close loses a body to a reset only now and then, not every time.
    const refused = (
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          const mine: HttpResult[] = [];
          for (let i = 0; i < 50; i++) mine.push(await post(70_000));
          // nginx passes up to 256 KiB, exactly what a node reads to refuse a body cleanly.
          for (let i = 0; i < 3; i++) mine.push(await post(256 * 1024));
          return mine;
        }),
      )
    ).flat();
    const overNginx = await post(300_000);
    done.abort();
    await calmLoop;

    for (const r of refused) {
      expect(r.status).toBe(413);
      expect(r.json).toMatchObject({ type: 'error', code: 'too_large' });
    }
    // Over nginx's client_max_body_size: nginx's own 413, the nodes never see it.
    expect(overNginx.status).toBe(413);
    expect(calmStatuses.length).toBeGreaterThan(0);
    expect(
      calmStatuses.filter((s) => s !== 200 && s !== 201),
      'the calm client got only 200 and 201',
    ).toEqual([]);
    const errors = await nginx.errors();
    expect(errors).not.toMatch(/Broken pipe|no live upstreams|prematurely closed|Connection reset/);
    expect((await nginx.accessLog()).filter((l) => / 502 /.test(l))).toEqual([]);
  });
});

describe('--trust-proxy behind nginx', () => {
  it('two clients have their own anonymous send budgets', async () => {
    const room = newRoom('budgets');
    const a = agentFrom('127.0.0.2');
    const b = agentFrom('127.0.0.3');
    let stop = false;
    const aStatuses: number[] = [];
    // Client A sends anonymously as fast as it can, four at a time, until B is done.
    const flood = Array.from({ length: 4 }, async () => {
      while (!stop && aStatuses.length < 5000) {
        aStatuses.push((await postMessage(nginx.url, room, { nick: 'a', text: 'flood' }, { dispatcher: a })).status);
      }
    });
    try {
      await waitFor(() => aStatuses.includes(429), { what: 'client A to run out of its budget' });
      const bStatuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        bStatuses.push((await postMessage(nginx.url, room, { nick: 'b', text: `b${i}` }, { dispatcher: b })).status);
      }
      expect(bStatuses, 'client B, anonymous too, while A is refused').toEqual(Array(10).fill(201));
    } finally {
      stop = true;
      await Promise.all(flood);
    }
    expect(aStatuses.filter((s) => s !== 201 && s !== 429)).toEqual([]);
  });

  it(`two clients have their own --max-connections-per-ip (${PER_IP} per node)`, async () => {
    const room = newRoom('conns');
    const a = agentFrom('127.0.0.2');
    const open: SseStream[] = [];
    let refused: SseStream | undefined;
    // Round robin spreads A's streams over both nodes: 2 × PER_IP fit, one more cannot.
    for (let i = 0; i <= 2 * PER_IP && refused === undefined; i++) {
      const s = await collectSse(sseUrl(nginx.url, room), { dispatcher: a });
      if (s.status === 200) open.push(s);
      else refused = s;
    }
    expect(refused?.status, 'a stream of client A past its limit').toBe(429);
    expect(JSON.parse(refused!.errorBody)).toMatchObject({ code: 'too_many' });
    expect(open).toHaveLength(2 * PER_IP);

    const b = agentFrom('127.0.0.3');
    const sse = await collectSse(sseUrl(nginx.url, room), { dispatcher: b });
    expect(sse.status, `client B's first stream: ${sse.errorBody}`).toBe(200);
    await sse.events.next((e) => e.type === 'hello');
    const ws = await openWs(`${nginx.url.replace(/^http/, 'ws')}/ws`, {
      localAddress: '127.0.0.3',
      query: { session: newSession() },
    });
    await ws.join(room);
    // Client A's upgrade past its limit is refused through nginx with the JSON 429 too.
    const aWs = await expectUpgradeRefused(`${nginx.url.replace(/^http/, 'ws')}/ws`, {
      localAddress: '127.0.0.2',
      query: { session: newSession() },
    });
    expect(aWs.status).toBe(429);
    expect(JSON.parse(aWs.body)).toMatchObject({ code: 'too_many' });
  });
});
