/**
 * Every default of the server in one table. startServer, the connection
 * buffer, the resource limits and the help of `rtchat serve` read them from
 * here. Numbers the contract fixes live in LIMITS (src/protocol/limits.ts)
 * and are referenced, never repeated.
 */
import { LIMITS } from '../protocol/limits.js';
import { SEARCH_LIMITS } from '../protocol/search.js';

export const SERVER_DEFAULTS = {
  /** Address to listen on (`--host`). */
  host: '127.0.0.1',
  /** Port to listen on (`--port`); 0 picks a free one. */
  port: 7878,
  /** Messages sent to a reader that gives no cursor (`--history`). */
  history: LIMITS.history,
  /** Messages kept per room (`--retain`). */
  retain: LIMITS.retain,
  /** Redis: messages one search reads at most, newest first (`--search-scan`); SQLite and memory need no bound. */
  searchScan: SEARCH_LIMITS.scan,
  /** WebSocket ping and SSE comment period, ms (`--heartbeat-ms`). */
  heartbeatMs: LIMITS.heartbeatMs,
  /** Presence events list at most this many members; above it only the count (`--presence-list-max`). */
  presenceListMax: LIMITS.presenceListMax,
  /** Shortest gap between two presence events of one room, ms (`--presence-interval`). */
  presenceIntervalMs: LIMITS.presenceIntervalMs,
  /**
   * Pending connections the kernel queues before accept, capped by `net.core.somaxconn` (`--backlog`).
   * Node's own 511 overflows in a reconnect storm of a few thousand clients.
   */
  backlog: 4096,
  /** How long close() waits for WebSocket close handshakes, ms. */
  closeTimeoutMs: 2000,
  /** How long close() keeps serving with /healthz at 503 before it stops accepting, ms (`--drain-ms`). */
  drainMs: 0,
  /** Retry-After suggested when a resource limit is hit, ms. */
  limitRetryAfterMs: 1000,
  /** Per-connection bounds and resource limits (ServerLimits in src/server/context.ts). */
  limits: {
    /** Bound on one connection's queued plus socket-buffered bytes: 1 MiB. */
    maxBufferBytes: 1024 * 1024,
    /** A reader whose buffer stays full this long, ms, is closed: 1013 / stream end (`--slow-reader-ms`). */
    slowReaderMs: 10_000,
    /** Rooms one WebSocket may join at once (`--max-rooms-per-socket`). */
    maxRoomsPerSocket: 100,
    /** Open WebSockets, SSE streams and held long polls, all clients (`--max-connections`). */
    maxConnections: 10_000,
    /** The same, per client address (`--max-connections-per-ip`). */
    maxConnectionsPerIp: 10_000,
    /** Held long polls per session (`--max-polls-per-session`). */
    maxPollsPerSession: 8,
  },
} as const;
