/** Small helpers for the ChatClient integration tests. */
import { ChatClient } from '../../src/client/chat-client.js';
import type { ChatClientOptions } from '../../src/client/types.js';
import type { MessageEvent } from '../../src/protocol/index.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { SqliteStore } from '../../src/server/stores/local/sqlite-store.js';
import { postMessage, testLogger } from '../helpers/index.js';

/** Fast retries so that reconnect tests do not wait out the production backoff. */
export const FAST: Partial<ChatClientOptions> = { backoff: { minMs: 20, maxMs: 200 }, connectTimeoutMs: 2000 };

/** Sends are not what these tests measure: lift the per-session rate limit. */
export const NO_RATE_LIMIT = { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } };

export class Tracked {
  readonly clients: ChatClient[] = [];
  readonly servers: RunningServer[] = [];

  client(options: ChatClientOptions): ChatClient {
    const c = new ChatClient(options);
    this.clients.push(c);
    return c;
  }

  async stopAll(): Promise<void> {
    for (const c of this.clients.splice(0)) await c.stop();
    for (const s of this.servers.splice(0)) await s.close();
  }
}

/** A real server on a SqliteStore in `dir`, on `port` (0 = a free one). */
export async function sqliteServer(t: Tracked, dir: string, port = 0): Promise<RunningServer> {
  const server = await startServer({
    host: '127.0.0.1',
    port,
    store: new SqliteStore({ dir }),
    logger: testLogger(),
    ...NO_RATE_LIMIT,
  });
  t.servers.push(server);
  return server;
}

/** Records every message a client emits, with its `own` flag. */
export function record(client: ChatClient): { messages: MessageEvent[]; own: boolean[]; seqs(): number[] } {
  const messages: MessageEvent[] = [];
  const own: boolean[] = [];
  client.on('message', (m, meta) => {
    messages.push(m);
    own.push(meta.own);
  });
  return { messages, own, seqs: () => messages.map((m) => m.seq) };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Posts `count` messages (`${prefix}1`..) with `concurrency` requests in flight, so
 * a stream arrives fast but still over time. Throws on any non-201.
 */
export async function postStream(
  base: string,
  room: string,
  count: number,
  concurrency = 8,
  prefix = 'p',
): Promise<void> {
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= count) {
      const i = next++;
      const res = await postMessage(base, room, {
        nick: 'poster',
        session: 'poster-session-0001',
        cid: `${prefix}${i}`,
        text: `${prefix}${i}`,
      });
      if (res.status !== 201) throw new Error(`post ${i}: ${res.status} ${res.text}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
