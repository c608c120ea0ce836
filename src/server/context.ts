import type { TokenAuth } from './http/auth.js';
import type { ClientAddresses } from './http/client-address.js';
import type { Cors } from './http/cors.js';
import { SERVER_DEFAULTS } from './defaults.js';
import type { Hub } from './hub.js';
import type { Identity } from './identity/identity.js';
import type { Logger } from './logger.js';
import type { RateLimiter } from './rate-limit.js';
import type { ResourceLimits } from './resource-limits.js';

/**
 * Resource limits in one place. Defaults (SERVER_DEFAULTS.limits in
 * src/server/defaults.ts) are generous; docs/server.md tells how to tune them.
 */
export interface ServerLimits {
  /** Bound on one connection's queued + socket-buffered bytes. Default 1 MiB (1048576). */
  maxBufferBytes: number;
  /** A reader whose buffer stays full this long (no drain), in ms, is closed: 1013 / stream end. Default 10000. */
  slowReaderMs: number;
  /** Rooms one WebSocket may join at once (more: `too_many`). Default 100. */
  maxRoomsPerSocket: number;
  /** Open WebSockets, SSE streams and held long polls (more: 503 unavailable). Default 10000. */
  maxConnections: number;
  /** The same, per client address (more: 429 too_many). Default 10000. */
  maxConnectionsPerIp: number;
  /** Held long polls per session (more: 429 too_many); anonymous polls count as connections only. Default 8. */
  maxPollsPerSession: number;
}

/** The defaults of ServerLimits, from the one table of server defaults. */
export const DEFAULT_LIMITS: ServerLimits = SERVER_DEFAULTS.limits;

/** Everything the transports and the router share for one server. */
export interface ServerContext {
  hub: Hub;
  logger: Logger;
  auth: TokenAuth;
  /** Accounts, nicks, private rooms, tickets (src/server/identity/). */
  identity: Identity;
  /** CORS for listed browser origins (`--cors`); none when absent. */
  cors?: Cors | undefined;
  limiter: RateLimiter;
  limits: ServerLimits;
  /** Connection and held-poll accounting against `limits` (src/server/resource-limits.ts). */
  resources: ResourceLimits;
  /** The client address of a request, behind trusted proxies too (src/server/http/client-address.ts). */
  clientAddresses: ClientAddresses;
  /** True while close() drains: /healthz answers 503, everything else is still served. */
  draining: boolean;
}
