/**
 * What `rtchat serve` does once its arguments are checked: reads the TLS,
 * JWT and CORS settings, opens the store (Redis, memory or SQLite), starts
 * the server, and stops it gracefully on SIGINT/SIGTERM. Loaded only by
 * `serve`, so the other commands never load the server.
 */
import path from 'node:path';
import { CliError, EXIT } from './exit-codes.js';
import { defaultDataDir, type LogLevel, type ServeArgs } from './serve-args.js';

/** A graceful shutdown that overruns this (after --drain-ms) is cut short: the contract says exit within 5 s. */
const SHUTDOWN_DEADLINE_MS = 4500;

/** Runs the server until a signal; resolves once it listens (the open server keeps the process alive). */
export async function runServe(args: ServeArgs): Promise<void> {
  const { parseTrustList, TrustProxyError } = await import('../server/http/client-address.js');
  let trustProxy: string[] = [];
  try {
    trustProxy = parseTrustList(args.trustProxy ?? '');
  } catch (err) {
    if (err instanceof TrustProxyError) throw new CliError(`--trust-proxy: ${err.message}`, EXIT.usage);
    throw err;
  }
  let tls: { cert: string; key: string } | undefined;
  if (args.tlsCert !== undefined || args.tlsKey !== undefined) {
    if (!args.tlsCert || !args.tlsKey) throw new CliError('--tls-cert and --tls-key go together', EXIT.usage);
    const { readTlsFiles } = await import('./tls-files.js');
    tls = readTlsFiles(args.tlsCert, args.tlsKey);
  }
  const jwt = await readJwtOptions(args);
  let cors: string[] | undefined;
  if (args.cors !== undefined && args.cors !== '') {
    const { parseCorsOrigins } = await import('../server/http/cors.js');
    try {
      cors = parseCorsOrigins(args.cors);
    } catch (err) {
      throw new CliError(`--cors: ${err instanceof Error ? err.message : String(err)}`, EXIT.usage);
    }
  }
  const { createLogger } = await import('../server/logger.js');
  const { startServer } = await import('../server/server.js');
  const logger = createLogger({ level: args.logLevel as LogLevel });
  if (trustProxy.length > 0) logger.info({ trustProxy, header: args.trustProxyHeader }, 'trusted proxies');
  const retain = args.retain;
  let store;
  if (args.redis !== undefined && args.redis !== '') {
    const { RedisStore } = await import('../server/stores/redis/redis-store.js');
    store = new RedisStore({ url: args.redis, retain, searchScan: args.searchScan, logger });
  } else if (args.memory) {
    const { MemoryStore } = await import('../server/stores/local/memory-store.js');
    store = new MemoryStore({ retain });
  } else {
    const { SqliteStore } = await import('../server/stores/local/sqlite-store.js');
    const dir = args.data !== undefined && args.data !== '' ? path.resolve(args.data) : defaultDataDir();
    store = new SqliteStore({ dir, retain });
    logger.info({ dir }, 'data directory');
  }
  let server;
  try {
    server = await startServer({
      host: args.host,
      port: args.port,
      store,
      history: args.history,
      retain,
      logger,
      presenceListMax: args.presenceListMax,
      presenceIntervalMs: args.presenceInterval,
      heartbeatMs: args.heartbeatMs,
      backlog: args.backlog,
      ...(args.token !== undefined && args.token !== '' && { token: args.token }),
      trustProxy,
      trustProxyHeader: args.trustProxyHeader,
      drainMs: args.drainMs,
      ...(tls !== undefined && { tls }),
      ...(jwt !== undefined && { jwt }),
      guests: args.guests,
      ...(cors !== undefined && { cors }),
      limits: {
        slowReaderMs: args.slowReaderMs,
        ...(args.maxConnections !== undefined && { maxConnections: args.maxConnections }),
        ...(args.maxConnectionsPerIp !== undefined && { maxConnectionsPerIp: args.maxConnectionsPerIp }),
        ...(args.maxRoomsPerSocket !== undefined && { maxRoomsPerSocket: args.maxRoomsPerSocket }),
        ...(args.maxPollsPerSession !== undefined && { maxPollsPerSession: args.maxPollsPerSession }),
      },
    });
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code === 'EADDRINUSE') {
      const line = `port ${args.port} on ${args.host} is in use (another server?); stop it or pick another --port`;
      throw new CliError(line, EXIT.error);
    }
    if (code === 'data_dir_in_use' && err instanceof Error) {
      throw new CliError(`${err.message}; stop that server first, or give this one another --data DIR`, EXIT.error);
    }
    throw err;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(EXIT.error);
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(EXIT.ok);
    }, args.drainMs + SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(EXIT.ok),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(EXIT.error);
      },
    );
  };
  // A last net: a stray rejection is a bug to log, never a reason to drop every client.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Ready only now: a supervisor may signal as soon as it reads this line, and must get a graceful stop.
  process.stdout.write(`rtchat listening on ${server.url}\n`);
  // The handler returns; the open server keeps the process alive until a signal.
}

async function readJwtOptions(args: ServeArgs): Promise<{ secret?: string; publicKey?: string } | undefined> {
  const secret = args.jwtSecret !== undefined && args.jwtSecret !== '' ? args.jwtSecret : undefined;
  const keyFile = args.jwtPublicKey !== undefined && args.jwtPublicKey !== '' ? args.jwtPublicKey : undefined;
  if (secret !== undefined && keyFile !== undefined)
    throw new CliError('--jwt-secret and --jwt-public-key are mutually exclusive', EXIT.usage);
  let options: { secret?: string; publicKey?: string } | undefined;
  if (secret !== undefined) options = { secret };
  if (keyFile !== undefined) {
    const { readFileSync } = await import('node:fs');
    try {
      options = { publicKey: readFileSync(keyFile, 'utf8') };
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : 'EIO';
      throw new CliError(`--jwt-public-key ${keyFile}: cannot read the file (${code})`, EXIT.usage);
    }
  }
  if (options === undefined) return undefined;
  // Checked here so a bad secret or key is a usage error, not a crash at start-up.
  const { JwtVerifier } = await import('../server/identity/jwt-verifier.js');
  try {
    new JwtVerifier(options);
  } catch (err) {
    throw new CliError(
      `${secret !== undefined ? '--jwt-secret' : '--jwt-public-key'}: ` +
        (err instanceof Error ? err.message : String(err)),
      EXIT.usage,
    );
  }
  return options;
}
