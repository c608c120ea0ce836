import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { LIMITS } from '../protocol/index.js';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './context.js';
import { SERVER_DEFAULTS } from './defaults.js';
import { TokenAuth } from './http/auth.js';
import { ClientAddresses, type ForwardedHeader } from './http/client-address.js';
import { Cors } from './http/cors.js';
import { handleRequest } from './http/router.js';
import { Identity, type IdentityOptions } from './identity/identity.js';
import type { JwtOptions } from './identity/jwt-verifier.js';
import { Hub } from './hub.js';
import { silentLogger, type Logger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import { ResourceLimits } from './resource-limits.js';
import { MemoryStore } from './stores/local/memory-store.js';
import type { Store } from './stores/store.js';
import { tlsFront } from './tls/tls-front.js';
import { WsConnection } from './transports/websocket.js';
import { websocketUpgrade } from './transports/websocket-upgrade.js';
import { withTimeout } from '../util/async.js';

export interface ServerOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 7878; 0 picks a free port. */
  port?: number;
  /** Where messages live. Default `new MemoryStore({ retain })`. startServer opens it and closes it on close(). */
  store?: Store;
  /** Messages sent to a reader without `after`, a count. Default 50. */
  history?: number;
  /** Messages kept per room, for the default store. Default 100000. */
  retain?: number;
  /** Bearer token; when set, every endpoint but /healthz needs it. Default none (open). */
  token?: string;
  /** pino logger. Default: silent. */
  logger?: Logger;
  /** Per-connection outgoing buffer bound, in bytes (same as `limits.maxBufferBytes`). Default 1 MiB. */
  maxBufferBytes?: number;
  /** Sends per session (per address when anonymous): a burst (default 40) and a rate per second (default 20). */
  rateLimit?: { burst?: number; perSecond?: number };
  /** WS ping / SSE comment period, in ms; also how often slow readers are judged. Default 15000. */
  heartbeatMs?: number;
  /** Shortest gap between two presence events of one room, in ms. Default 1000. */
  presenceIntervalMs?: number;
  /** Presence events list at most this many members; above it only the count. Default 100. */
  presenceListMax?: number;
  /**
   * Pending connections the kernel queues before accept, capped by the
   * system's `net.core.somaxconn`. Default 4096: Node's own 511 overflows in a
   * reconnect storm of a few thousand clients.
   */
  backlog?: number;
  /** How long close() waits for WebSocket close handshakes, in ms. Default 2000. */
  closeTimeoutMs?: number;
  /** Resource limits (see ServerLimits for units and defaults). */
  limits?: Partial<ServerLimits>;
  /**
   * Addresses and CIDR ranges of the proxies in front (`--trust-proxy`). Only requests whose TCP peer is one
   * of them take the client address from `trustProxyHeader`. Default none. Throws TrustProxyError on a bad entry.
   */
  trustProxy?: readonly string[];
  /** The header the trusted proxies set. Default 'x-forwarded-for'. */
  trustProxyHeader?: ForwardedHeader;
  /**
   * How long close() keeps serving, with /healthz at 503 and every answer closing its connection,
   * before it stops accepting connections: time for a balancer to take the node out. Default 0, in ms.
   */
  drainMs?: number;
  /** PEM certificate chain and key: serve https and wss (all transports) instead of http and ws. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** While accounts are on, admit people without one (as `~nick`). Default false. */
  guests?: boolean;
  /** Accept JWTs: HS256 with `secret`, or RS256/ES256 with a PEM `publicKey`. */
  jwt?: JwtOptions;
  /** Browser origins (`https://app.example`) answered with CORS headers and preflights. Default: none. */
  cors?: string[];
  /** Tickets, expiry checks: see IdentityOptions. */
  identity?: Pick<IdentityOptions, 'ticketTtlMs' | 'expiry'>;
}

export interface RunningServer {
  /** `http://HOST:PORT`, or `https://…` with `tls`. */
  url: string;
  port: number;
  store: Store;
  /**
   * Graceful: drains for `drainMs` (still serving, /healthz at 503), then answers polls, ends streams,
   * closes sockets with 1001, flushes the store. Idempotent.
   */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? SERVER_DEFAULTS.host;
  const logger = options.logger ?? silentLogger();
  // Before anything is opened: a bad entry throws with nothing to clean up.
  const clientAddresses = new ClientAddresses({
    ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }),
    ...(options.trustProxyHeader !== undefined && { header: options.trustProxyHeader }),
  });
  const store = options.store ?? new MemoryStore({ retain: options.retain ?? SERVER_DEFAULTS.retain });
  await store.open();
  const limits: ServerLimits = {
    ...DEFAULT_LIMITS,
    ...(options.maxBufferBytes !== undefined && { maxBufferBytes: options.maxBufferBytes }),
    ...options.limits,
  };
  const metrics = new ServerMetrics();
  const hub = new Hub({
    store,
    logger,
    metrics,
    history: options.history ?? SERVER_DEFAULTS.history,
    heartbeatMs: options.heartbeatMs ?? SERVER_DEFAULTS.heartbeatMs,
    presenceIntervalMs: options.presenceIntervalMs,
    presenceListMax: options.presenceListMax,
    dmMembers: (room) => store.identity.getRoomAccess(room),
  });
  const limiter = new RateLimiter({
    burst: options.rateLimit?.burst ?? LIMITS.rateBurst,
    perSecond: options.rateLimit?.perSecond ?? LIMITS.ratePerSecond,
  });
  const limiterSweep = setInterval(() => limiter.sweep(), 10_000).unref();
  const resources = new ResourceLimits({
    maxConnections: limits.maxConnections,
    maxConnectionsPerIp: limits.maxConnectionsPerIp,
    maxRoomsPerSocket: limits.maxRoomsPerSocket,
    maxPollsPerSession: limits.maxPollsPerSession,
  });
  // Accounts and room access are a concern of their own, beside the data path: Identity keeps its own handle
  // on the store's identity part; messages and presence go through the hub only.
  const identity = new Identity({
    store: store.identity,
    sharedToken: options.token,
    guests: options.guests,
    jwt: options.jwt,
    ...options.identity,
  });
  const ctx: ServerContext = {
    hub,
    logger,
    auth: new TokenAuth(options.token),
    identity,
    limiter,
    limits,
    resources,
    clientAddresses,
    draining: false,
  };
  if (options.cors !== undefined && options.cors.length > 0) ctx.cors = new Cors(options.cors);

  const onRequest: RequestListener = (req, res) => {
    // Draining: a proxy's kept-alive connection must not outlive the node, or its next request meets a reset.
    if (ctx.draining) res.setHeader('Connection', 'close');
    void handleRequest(ctx, req, res);
  };
  const https = options.tls
    ? createHttpsServer({ keepAliveTimeout: 5000, cert: options.tls.cert, key: options.tls.key }, onRequest)
    : undefined;
  const http = https ?? createServer({ keepAliveTimeout: 5000 }, onRequest);
  // With TLS a TCP front listens (plain HTTP gets a clear 400); without, the HTTP server itself.
  const listener = https ? tlsFront(https) : http;
  https?.on('tlsClientError', (err) => logger.debug({ err }, 'TLS handshake failed'));
  http.on('clientError', (err, socket) => {
    logger.debug({ err }, 'client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  http.on('upgrade', websocketUpgrade(ctx));

  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(
      { port: options.port ?? SERVER_DEFAULTS.port, host, backlog: options.backlog ?? SERVER_DEFAULTS.backlog },
      () => {
        listener.off('error', reject);
        resolve();
      },
    );
  });
  listener.on('error', (err) => logger.error({ err }, 'http server error'));
  const address = listener.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? SERVER_DEFAULTS.port);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls ? 'https' : 'http';
  logger.info({ host, port, tls: options.tls !== undefined }, 'listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const drainMs = options.drainMs ?? SERVER_DEFAULTS.drainMs;
      if (drainMs > 0) {
        logger.info({ drainMs }, 'draining');
        ctx.draining = true;
        await new Promise((resolve) => setTimeout(resolve, drainMs));
      }
      logger.info('shutting down');
      hub.beginShutdown();
      if (listener !== http) listener.close();
      http.close();
      http.closeIdleConnections();
      const sockets: WsConnection[] = [];
      for (const conn of [...hub.connections]) {
        if (conn instanceof WsConnection) sockets.push(conn);
        conn.close('shutdown');
      }
      // Close handshakes get closeTimeoutMs; the sockets still open after it are dropped.
      const closeTimeoutMs = options.closeTimeoutMs ?? SERVER_DEFAULTS.closeTimeoutMs;
      const handshakes = Promise.all(sockets.map((s) => s.closedPromise()));
      await withTimeout(handshakes, closeTimeoutMs, () => new Error('close handshakes')).catch(() => undefined);
      for (const s of sockets) s.terminate();
      clearInterval(limiterSweep);
      identity.close();
      await hub.close();
      await store.close();
      http.closeAllConnections();
      logger.info('closed');
    })();
    return closing;
  };

  return { url: `${scheme}://${urlHost}:${port}`, port, store, close };
}
