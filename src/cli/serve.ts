import os from 'node:os';
import path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SERVER_DEFAULTS } from '../server/defaults.js';
import { CliError, EXIT } from './exit-codes.js';

export interface ServeArgs {
  host: string;
  port: number;
  data?: string | undefined;
  memory: boolean;
  history: number;
  retain: number;
  token?: string | undefined;
  redis?: string | undefined;
  logLevel: string;
  maxConnections?: number | undefined;
  maxConnectionsPerIp?: number | undefined;
  maxRoomsPerSocket?: number | undefined;
  maxPollsPerSession?: number | undefined;
  heartbeatMs: number;
  slowReaderMs: number;
  presenceListMax: number;
  presenceInterval: number;
  backlog: number;
  trustProxy?: string | undefined;
  trustProxyHeader: 'x-forwarded-for' | 'forwarded';
  drainMs: number;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  guests: boolean;
  jwtSecret?: string | undefined;
  jwtPublicKey?: string | undefined;
  cors?: string | undefined;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** `$XDG_DATA_HOME/rtchat`, else `~/.local/share/rtchat`. */
export function defaultDataDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg !== '' && path.isAbsolute(xdg)) return path.join(xdg, 'rtchat');
  return path.join(os.homedir(), '.local', 'share', 'rtchat');
}

/** A graceful shutdown that overruns this (after --drain-ms) is cut short: the contract says exit within 5 s. */
const SHUTDOWN_DEADLINE_MS = 4500;

/** Every default shown by `--help` comes from the server's own table. */
const D = SERVER_DEFAULTS;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'run the chat server (long polling, SSE and WebSocket on one port)',
  builder: (y: Argv) =>
    y
      .option('host', { type: 'string', default: D.host, describe: 'address to listen on' })
      .option('port', { type: 'number', default: D.port, describe: 'port to listen on (0 picks a free one)' })
      .option('data', {
        type: 'string',
        describe: 'data directory [default: $XDG_DATA_HOME/rtchat or ~/.local/share/rtchat]',
      })
      .option('memory', { type: 'boolean', default: false, describe: 'keep everything in memory (nothing on disk)' })
      .option('history', {
        type: 'number',
        default: D.history,
        describe: 'messages sent to a reader that gives no cursor',
      })
      .option('retain', { type: 'number', default: D.retain, describe: 'messages kept per room' })
      .option('token', { type: 'string', describe: 'require this bearer token on every endpoint but /healthz' })
      .option('redis', { type: 'string', describe: 'share rooms through Redis at this URL (scale-out mode)' })
      .option('log-level', {
        type: 'string',
        choices: LOG_LEVELS,
        default: 'info',
        describe: 'log level (logs go to stderr)',
      })
      .option('max-connections', {
        type: 'number',
        describe:
          'open WebSockets, SSE streams and held polls, all clients (more: 503)' +
          ` [default: ${D.limits.maxConnections}]`,
      })
      .option('max-connections-per-ip', {
        type: 'number',
        describe: `the same per client address (more: 429) [default: ${D.limits.maxConnectionsPerIp}]`,
      })
      .option('max-rooms-per-socket', {
        type: 'number',
        describe: `rooms one WebSocket may join (more: too_many error) [default: ${D.limits.maxRoomsPerSocket}]`,
      })
      .option('max-polls-per-session', {
        type: 'number',
        describe: `held long polls per session (more: 429) [default: ${D.limits.maxPollsPerSession}]`,
      })
      .option('heartbeat-ms', {
        type: 'number',
        default: D.heartbeatMs,
        describe: 'WebSocket ping and SSE comment period, in ms; also how often slow readers are judged',
      })
      .option('slow-reader-ms', {
        type: 'number',
        default: D.limits.slowReaderMs,
        describe: 'close a reader whose buffer stays full this long, in ms (it resumes from its cursor)',
      })
      .option('presence-list-max', {
        type: 'number',
        default: D.presenceListMax,
        describe: 'presence events list members up to this many; above it only the count',
      })
      .option('presence-interval', {
        type: 'number',
        default: D.presenceIntervalMs,
        describe: 'shortest gap between two presence events of one room, in ms',
      })
      .option('backlog', {
        type: 'number',
        default: D.backlog,
        describe: 'listen backlog (capped by net.core.somaxconn)',
      })
      .option('trust-proxy', {
        type: 'string',
        describe:
          'proxies in front, ADDR[,ADDR|CIDR...]: only for requests from them is the client address ' +
          'read from --trust-proxy-header [default: none]',
      })
      .option('trust-proxy-header', {
        type: 'string',
        choices: ['x-forwarded-for', 'forwarded'] as const,
        default: 'x-forwarded-for' as const,
        describe: 'the header the trusted proxies set (Forwarded: RFC 7239)',
      })
      .option('drain-ms', {
        type: 'number',
        default: D.drainMs,
        describe: 'on SIGTERM, keep serving this many ms with /healthz at 503 before closing (for a balancer)',
      })
      .option('tls-cert', {
        type: 'string',
        describe: 'PEM certificate chain: serve https and wss on the port (needs --tls-key)',
      })
      .option('tls-key', { type: 'string', describe: 'PEM private key of --tls-cert' })
      .option('guests', {
        type: 'boolean',
        default: false,
        describe: 'while accounts exist, admit people without one (shown as ~nick)',
      })
      .option('jwt-secret', { type: 'string', describe: 'accept HS256 JWTs signed with this secret (sub = account)' })
      .option('cors', {
        type: 'string',
        describe: 'answer CORS preflights for these browser origins (comma-separated)',
      })
      .option('jwt-public-key', {
        type: 'string',
        describe: 'accept RS256/ES256 JWTs signed for this PEM public key file',
      })
      .example('$0 serve --port 0 --memory', 'a throwaway server on a free port')
      .example('$0 serve --tls-cert cert.pem --tls-key key.pem', 'https and wss on port 7878')
      .example(
        'RTCHAT_TOKEN=s3cret $0 serve --host 0.0.0.0',
        'every flag also reads RTCHAT_<FLAG>',
      ) as unknown as Argv<ServeArgs>,
  handler: async (args: ArgumentsCamelCase<ServeArgs>) => {
    checkArgs(args);
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
      store = new RedisStore({ url: args.redis, retain, logger });
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
  },
};

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

function checkArgs(args: ServeArgs): void {
  const intIn = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new CliError(`--${name} must be an integer from ${min} to ${max}`, EXIT.usage);
    }
  };
  intIn('port', args.port, 0, 65535);
  intIn('history', args.history, 0, 100_000);
  intIn('retain', args.retain, 1, Number.MAX_SAFE_INTEGER);
  intIn('presence-list-max', args.presenceListMax, 0, 1000);
  intIn('presence-interval', args.presenceInterval, 0, 60_000);
  intIn('backlog', args.backlog, 1, 65535);
  intIn('drain-ms', args.drainMs, 0, 600_000);
  intIn('heartbeat-ms', args.heartbeatMs, 10, 600_000);
  intIn('slow-reader-ms', args.slowReaderMs, 10, 600_000);
  const limits = [
    ['max-connections', args.maxConnections],
    ['max-connections-per-ip', args.maxConnectionsPerIp],
    ['max-rooms-per-socket', args.maxRoomsPerSocket],
    ['max-polls-per-session', args.maxPollsPerSession],
  ] as const;
  for (const [name, v] of limits) if (v !== undefined) intIn(name, v, 1, 1_000_000);
  // Checked here, not with yargs' conflicts(): --memory's default (false) counts as given there.
  if (args.memory && args.redis !== undefined && args.redis !== '') {
    throw new CliError('--memory and --redis are mutually exclusive', EXIT.usage);
  }
}
