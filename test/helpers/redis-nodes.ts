/**
 * One real redis-server and two `rtchat serve --redis` processes on it (the
 * real binary, as an operator runs it): the deployment the proxy tests put a
 * balancer in front of. Needs `npm run build`.
 */
import { startRedisServer, type RedisServer } from './redis-server.js';
import { spawnServe, type ServeProcess } from './spawn.js';

export interface RedisNodes {
  redis: RedisServer;
  nodes: [ServeProcess, ServeProcess];
  /** The two base URLs, `http://127.0.0.1:PORT`. */
  urls: [string, string];
  /** Starts node `i` again on its port (after it exited), with the same arguments. */
  restart(i: 0 | 1): Promise<ServeProcess>;
  /** Stops both nodes (SIGTERM) and Redis, and removes Redis' dir. */
  stop(): Promise<void>;
}

/** Starts Redis and two nodes with `args` added to `serve --redis URL --log-level warn`. */
export async function startRedisNodes(args: string[] = []): Promise<RedisNodes> {
  const redis = await startRedisServer({ appendfsync: 'everysec' });
  const start = (port = 0): Promise<ServeProcess> =>
    spawnServe(['--redis', redis.url, '--log-level', 'warn', ...args], { shared: true, port });
  const started = await Promise.allSettled([start(), start()]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stop()] : [])));
    await redis.cleanup();
    throw failed.reason;
  }
  const nodes = started.map((r) => (r as PromiseFulfilledResult<ServeProcess>).value) as [ServeProcess, ServeProcess];
  const cluster: RedisNodes = {
    redis,
    nodes,
    urls: [nodes[0].url, nodes[1].url],
    async restart(i) {
      const node = await start(Number(new URL(cluster.urls[i]).port));
      nodes[i] = node;
      return node;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.cleanup();
    },
  };
  return cluster;
}

/** A node's `rtchat_messages_in_total`: the sends it stored, to see which node a balancer chose. */
export async function messagesIn(url: string): Promise<number> {
  const res = await fetch(`${url}/metrics`);
  const m = /^rtchat_messages_in_total (\d+)/m.exec(await res.text());
  return Number(m?.[1] ?? 0);
}
