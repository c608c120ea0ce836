/**
 * Failures in scale-out mode, with real processes: a node killed with
 * SIGKILL (the real binary as a child), and redis-server itself killed and
 * restarted on its AOF. Clients are the real ChatClient.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import type { ChatClientOptions } from '../../src/client/types.js';
import type { AckEvent, MessageEvent, Via } from '../../src/protocol/index.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { RedisStore } from '../../src/server/stores/redis/redis-store.js';
import { postMessage, poll } from '../helpers/http.js';
import { collectSse, sseUrl } from '../helpers/sse.js';
import { UpgradeRefused, openWs, type WsClient } from '../helpers/ws.js';
import { newCid, newRoom, newSession } from '../helpers/ids.js';
import { isBuilt, spawnServe, type ServeProcess } from '../helpers/spawn.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { stopIfStarted } from '../helpers/started.js';
import { testLogger } from '../helpers/test-server.js';
import { closeAllClients } from '../helpers/tracker.js';
import { waitFor } from '../helpers/wait-for.js';

const NO_RATE_LIMIT = { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } };
const FAST: Partial<ChatClientOptions> = {
  backoff: { minMs: 20, maxMs: 250 },
  connectTimeoutMs: 2000,
  pollTimeoutS: 2,
};

let redis: RedisServer;
const servers: RunningServer[] = [];
const clients: ChatClient[] = [];
const children: ServeProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ appendfsync: 'always' });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  closeAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(children.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await stopIfStarted(redis, (r) => r.cleanup());
});

async function inProcessNode(): Promise<RunningServer> {
  const store = new RedisStore({ url: redis.url, backoff: { minMs: 20, maxMs: 250 } });
  const server = await startServer({ host: '127.0.0.1', port: 0, store, logger: testLogger(), ...NO_RATE_LIMIT });
  servers.push(server);
  return server;
}

/** A started ChatClient that records what it delivers. */
async function reader(servers: string[], room: string, via: Via): Promise<{ client: ChatClient; got: MessageEvent[] }> {
  const client = new ChatClient({ servers, room, nick: `r-${via}`, via, ...FAST });
  clients.push(client);
  const got: MessageEvent[] = [];
  client.on('message', (m) => got.push(m));
  await client.start();
  return { client, got };
}

/**
 * Posts `count` messages to `base`, each retried with its cid until acked
 * (a 503 while Redis is away is expected). Calls `onAck` after each ack.
 */
async function sendAll(
  base: () => string,
  room: string,
  count: number,
  onAck: (n: number) => Promise<void> | void,
): Promise<{ seqs: number[]; unavailable: number }> {
  const session = newSession();
  const seqs: number[] = [];
  let unavailable = 0;
  for (let i = 0; i < count; i++) {
    const cid = newCid();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await postMessage(base(), room, { nick: 'sender', session, cid, text: `m${i}` }).catch(
        () => undefined,
      );
      if (res !== undefined && (res.status === 201 || res.status === 200)) {
        seqs.push((res.json as AckEvent).seq);
        break;
      }
      if (res?.status === 503) unavailable++;
      else if (res !== undefined) throw new Error(`send answered ${res.status}: ${res.text}`);
      if (Date.now() > deadline) throw new Error(`message ${i} was never acked`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await onAck(seqs.length);
  }
  return { seqs, unavailable };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('scale-out failures', () => {
  it.skipIf(!isBuilt())('moves the clients of a node killed with SIGKILL to the other node, complete', async () => {
    const a = await spawnServe(['--redis', redis.url, '--log-level', 'warn']);
    children.push(a);
    const b = await inProcessNode();
    const room = newRoom('kill');
    const readers = await Promise.all(
      (['ws', 'sse', 'longpoll'] as const).map((via) => reader([a.url, b.url], room, via)),
    );
    for (const r of readers) expect(r.client.state).toMatchObject({ name: 'online', server: a.url });

    // A client of node A sends too; its outbox retries through B after the kill.
    const talker = new ChatClient({ servers: [a.url, b.url], room, nick: 'talker', via: 'ws', ...FAST });
    clients.push(talker);
    await talker.start();

    const total = 160;
    const sent = sendAll(
      () => b.url,
      room,
      total - 20,
      async (n) => {
        if (n === 15) for (let i = 0; i < 10; i++) talker.send(`talk-${i}`);
        if (n === 50) {
          a.kill('SIGKILL');
          await a.exited;
          for (let i = 10; i < 20; i++) talker.send(`talk-${i}`);
        }
      },
    );
    const { seqs } = await sent;
    await waitFor(() => talker.outbox().every((m) => m.status === 'acked'), {
      timeoutMs: 15_000,
      what: 'the talker outbox to drain',
    });
    expect(seqs).toHaveLength(total - 20);

    for (const r of readers) {
      await waitFor(() => r.got.length >= total, {
        timeoutMs: 20_000,
        what: `${r.client.via} reader to get ${total} messages`,
      });
      expect(r.got.map((m) => m.seq)).toEqual(range(total));
      expect(r.client.state).toMatchObject({ name: 'online', server: b.url });
    }
    const talk = readers[0]!.got.filter((m) => m.nick === 'talker').map((m) => m.text);
    expect(talk.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `talk-${i}`).sort());
  });

  it('keeps every acked message across a Redis kill and restart, and the nodes recover', async () => {
    const [a, b] = await Promise.all([inProcessNode(), inProcessNode()]);
    const room = newRoom('redis');
    const readers = await Promise.all([
      reader([a.url], room, 'ws'),
      reader([b.url], room, 'sse'),
      reader([a.url], room, 'longpoll'),
    ]);
    const epoch = readers[0].client.cursor.epoch;
    expect(epoch).toBeDefined();

    const total = 150;
    let turn = 0;
    let restarted: Promise<void> | undefined;
    const { seqs } = await sendAll(
      () => [a.url, b.url][turn++ % 2]!,
      room,
      total,
      async (n) => {
        if (n !== 60) return;
        await redis.stop('SIGKILL');
        // Both nodes notice and refuse sends with 503 while Redis is away.
        await waitFor(() => !a.store.writable && !b.store.writable, { what: 'the stores to turn read-only' });
        const refused = await postMessage(a.url, room, { nick: 'sender', text: 'while down' });
        expect(refused.status).toBe(503);
        expect(refused.json).toMatchObject({ type: 'error', code: 'unavailable' });
        restarted = redis.start();
      },
    );
    await restarted;
    expect(seqs).toEqual(range(total));
    await waitFor(() => a.store.writable && b.store.writable, { what: 'the stores to take writes again' });

    const stored = await poll(b.url, room, { after: 0, limit: 1000 });
    const messages = stored.body.events.filter((e): e is MessageEvent => e.type === 'message');
    expect(messages.map((m) => m.text)).toEqual(Array.from({ length: total }, (_, i) => `m${i}`));
    expect((await a.store.roomState(room))?.epoch).toBe(epoch);

    for (const r of readers) {
      await waitFor(() => r.got.length >= total, {
        timeoutMs: 20_000,
        what: `${r.client.via} reader to get ${total} messages`,
      });
      expect(r.got.map((m) => m.seq)).toEqual(range(total));
    }
  });

  it('while Redis is away a join gets an error on every transport, never silence', async () => {
    const a = await inProcessNode();
    const room = newRoom('away');
    await redis.stop('SIGKILL');
    try {
      await waitFor(() => !a.store.writable, { what: 'the store to turn read-only' });
      // Refused at the upgrade (the server cannot check the token's account), or at the join: never silence.
      const opened = await openWs(a.url.replace('http', 'ws') + '/ws', {
        query: { session: newSession(), nick: 'wanda' },
      }).catch((err: unknown) => err);
      if (opened instanceof UpgradeRefused) {
        expect(opened.status).toBe(503);
        expect(JSON.parse(opened.body)).toMatchObject({ type: 'error', code: 'unavailable' });
      } else {
        const ws = opened as WsClient;
        ws.send({ type: 'join', room });
        expect(await ws.next((f) => f.type === 'error' || f.type === 'hello')).toMatchObject({
          type: 'error',
          code: 'unavailable',
          room,
        });
      }
      const sse = await collectSse(sseUrl(a.url, room, { session: newSession(), nick: 'sid' }));
      if (sse.status === 200) {
        expect(await sse.events.next((e) => e.type === 'error' || e.type === 'hello')).toMatchObject({
          type: 'error',
          code: 'unavailable',
          room,
        });
      } else {
        expect(sse.status).toBe(503);
        expect(JSON.parse(sse.errorBody)).toMatchObject({ type: 'error', code: 'unavailable' });
      }
      const polled = await poll(a.url, room, { session: newSession(), nick: 'lola' });
      expect(polled.status).toBe(503);
    } finally {
      await redis.start();
    }
  });
});
