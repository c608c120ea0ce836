/**
 * A rolling restart behind the documented HAProxy config: each node in turn
 * gets SIGTERM, drains (`--drain-ms`: /healthz says 503 while it still
 * serves), exits and comes back on its port. HAProxy's health checks take the
 * draining node out while it still serves, before it stops accepting
 * connections, and clients sending and polling all along never see an error.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAllClients,
  http,
  isBuilt,
  newRoom,
  newSession,
  poll,
  postMessage,
  waitFor,
  withTimeout,
} from '../helpers/index.js';
import { startHaproxy } from '../helpers/haproxy.js';
import type { ProxyProcess } from '../helpers/proxy-process.js';
import { messagesIn, startRedisNodes, type RedisNodes } from '../helpers/redis-nodes.js';

/** Longer than HAProxy needs to see two failed checks (`inter 1s fall 2`), with a margin for a busy machine. */
const DRAIN_MS = 5000;
let cluster: RedisNodes | undefined;
let haproxy: ProxyProcess | undefined;

beforeAll(async () => {
  if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  cluster = await startRedisNodes(['--trust-proxy', '127.0.0.1', '--drain-ms', String(DRAIN_MS)]);
  haproxy = await startHaproxy(cluster.urls);
}, 60_000);
afterEach(() => closeAllClients());
afterAll(async () => {
  await haproxy?.stop();
  await cluster?.stop();
}, 30_000);

describe('rolling restart behind HAProxy', () => {
  it('takes each draining node out while it still serves; no request fails through the restart', async () => {
    const c = cluster!;
    const url = haproxy!.url;
    const room = newRoom('roll');
    const statuses = new Map<string, number>();
    const count = (key: string): void => void statuses.set(key, (statuses.get(key) ?? 0) + 1);
    let stop = false;
    const clients = Array.from({ length: 4 }, async (_, i) => {
      while (!stop) {
        const body = { nick: `c${i}`, session: newSession(), text: 'x' };
        const sent = await postMessage(url, room, body).catch(() => undefined);
        count(`POST ${sent?.status ?? 'failed'}`);
        const polled = await poll(url, room, { timeout: 0 }).catch(() => undefined);
        count(`GET ${polled?.status ?? 'failed'}`);
      }
    });

    try {
      for (const i of [0, 1] as const) {
        const node = c.nodes[i];
        node.kill('SIGTERM');
        await waitFor(async () => (await http(`${node.url}/healthz`)).status === 503, { what: `node ${i} to drain` });
        // While it still serves, HAProxy stops sending it anything: no new send for half a second.
        let stored = -1;
        await waitFor(
          async () => {
            const now = await messagesIn(node.url);
            const settled = now === stored;
            stored = now;
            return settled;
          },
          { intervalMs: 500, timeoutMs: DRAIN_MS, what: `HAProxy to take draining node ${i} out` },
        );
        const exit = await withTimeout(node.exited, DRAIN_MS + 10_000, `node ${i} to exit`);
        expect(exit).toEqual({ code: 0, signal: null });
        const back = await c.restart(i);
        // Back in rotation once HAProxy's checks pass (rise 2) and it routes sends to it.
        await waitFor(async () => (await messagesIn(back.url)) > 0, {
          timeoutMs: 20_000,
          what: `HAProxy to use node ${i} again`,
        });
      }
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(statuses.get('POST 201') ?? 0).toBeGreaterThan(0);
    expect(statuses.get('GET 200') ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].sort(), JSON.stringify(Object.fromEntries(statuses))).toEqual(['GET 200', 'POST 201']);
  }, 90_000);
});
