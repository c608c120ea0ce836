/** The arguments of `rtchat serve`, their checks, and where it keeps its data by default. */
import os from 'node:os';
import path from 'node:path';
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
  searchScan: number;
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

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `$XDG_DATA_HOME/rtchat`, else `~/.local/share/rtchat`. */
export function defaultDataDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg !== '' && path.isAbsolute(xdg)) return path.join(xdg, 'rtchat');
  return path.join(os.homedir(), '.local', 'share', 'rtchat');
}

/** Checks what yargs cannot: integer ranges and flags that exclude each other. Throws CliError (usage). */
export function checkArgs(args: ServeArgs): void {
  const intIn = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new CliError(`--${name} must be an integer from ${min} to ${max}`, EXIT.usage);
    }
  };
  intIn('port', args.port, 0, 65535);
  intIn('history', args.history, 0, 100_000);
  intIn('retain', args.retain, 1, Number.MAX_SAFE_INTEGER);
  intIn('search-scan', args.searchScan, 1, 10_000_000);
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
