import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port/db`. */
  url: string;
  /** Names the connections in CLIENT LIST: `rtchat-cmd-<nodeId>`, `rtchat-bus-<nodeId>`. */
  nodeId: string;
  /** A command without an answer for this long, in ms, fails. */
  commandTimeoutMs: number;
  /** Reconnect backoff bounds, in ms: doubling from minMs, capped at maxMs. */
  backoff: { minMs: number; maxMs: number };
  /** Where the bus connection's errors are logged (debug). */
  logger?: Logger | undefined;
}

/**
 * A node's two connections to Redis, not yet connected (`lazyConnect`).
 * `cmd` fails fast instead of queueing while Redis is away, so that a send
 * gets its 503 now rather than hang until Redis returns; `sub`, the pub/sub
 * reader, waits and retries for ever. Both reconnect with the backoff.
 */
export function redisConnections(options: RedisConnectionOptions): { cmd: Redis; sub: Redis } {
  const { minMs, maxMs } = options.backoff;
  const retryStrategy = (attempt: number): number => Math.min(maxMs, minMs * 2 ** Math.min(attempt - 1, 16));
  const cmd = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    enableAutoPipelining: true,
    retryStrategy,
    connectionName: `rtchat-cmd-${options.nodeId}`,
  });
  const sub = new Redis(options.url, {
    lazyConnect: true,
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    retryStrategy,
    connectionName: `rtchat-bus-${options.nodeId}`,
  });
  sub.on('error', (err: Error) => options.logger?.debug({ err }, 'redis bus connection error'));
  return { cmd, sub };
}
