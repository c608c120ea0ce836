/**
 * The soak's command line (`npm run soak -- --conns N [--nodes K] …`), parsed
 * with node:util's parseArgs. Every figure has a default; a bad value is a
 * SoakUsageError (code `usage`) naming the flag.
 */
import { parseArgs } from 'node:util';

export interface SoakOptions {
  /** Client connections, a third per transport. Default 3000. */
  conns: number;
  /** rtchat processes; above 1 they share one redis-server the soak starts. Default 1. */
  nodes: number;
  /** Client processes; default max(2, ⌈conns / 5000⌉) (a process may hold 20,000 open files here). */
  workers: number;
  /** New connections per second over all workers. Default 1000. */
  rampPerSec: number;
  /** Handshakes in flight per worker at most. Default 256. */
  inFlight: number;
  /** Seconds every client stays idle, once all are ready, before the broadcast. Default 10. */
  holdS: number;
  /** Messages broadcast. Default 20. */
  messages: number;
  /** ms between two messages. Default 500. */
  intervalMs: number;
  /** Seconds after the last message that clients may take to get everything. Default 30. */
  drainS: number;
  /** Seconds after the last connect was started that clients may take to be ready. Default 60. */
  readyS: number;
  /** Bound on one connect (TCP connect to hello), ms. Default 10000. */
  connectTimeoutMs: number;
  /** Store of a single node: `memory` (--memory) or `sqlite` (a temp --data dir). Default memory. */
  store: 'memory' | 'sqlite';
  /** Clients join without session and nick: not members, no presence (a check of the harness). */
  anonymous: boolean;
  /** Extra arguments for every `rtchat serve` (e.g. `--serve-arg=--log-level=info`). */
  serveArgs: string[];
  /** Write the result as JSON to this file. */
  json: string | undefined;
}

export class SoakUsageError extends Error {
  readonly code = 'usage';
}

export const SOAK_USAGE = `usage: npm run soak -- [--conns N] [--nodes K] [options]
  --conns N            connections, a third each WebSocket, SSE, long polling (default 3000)
  --nodes K            rtchat processes sharing one redis-server (default 1: one process, no Redis)
  --workers W          client processes (default max(2, ceil(N / 5000)))
  --ramp R             new connections per second, all workers together (default 1000)
  --in-flight F        handshakes in flight per worker (default 256)
  --hold S             seconds idle once all are ready, before the broadcast (default 10)
  --messages M         messages broadcast (default 20)
  --interval MS        ms between messages (default 500)
  --drain S            seconds allowed after the last message (default 30)
  --ready-timeout S    seconds allowed after the last connect for every client to be ready (default 60)
  --connect-timeout MS bound on one connect, TCP to hello (default 10000)
  --store memory|sqlite  store of a single node (default memory)
  --anonymous          clients without session and nick (presence-free; a harness check only)
  --serve-arg ARG      extra argument for rtchat serve (repeatable), e.g. --serve-arg=--log-level=info
  --json FILE          write the result as JSON`;

function int(name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SoakUsageError(`--${name} must be an integer in ${min}..${max} (got ${raw})`);
  }
  return n;
}

/** Parses the soak's arguments (without `node` and the script). */
export function parseSoakArgs(argv: string[]): SoakOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        conns: { type: 'string' },
        nodes: { type: 'string' },
        workers: { type: 'string' },
        ramp: { type: 'string' },
        'in-flight': { type: 'string' },
        hold: { type: 'string' },
        messages: { type: 'string' },
        interval: { type: 'string' },
        drain: { type: 'string' },
        'ready-timeout': { type: 'string' },
        'connect-timeout': { type: 'string' },
        store: { type: 'string' },
        anonymous: { type: 'boolean' },
        'serve-arg': { type: 'string', multiple: true },
        json: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new SoakUsageError(err instanceof Error ? err.message : String(err));
  }
  const conns = int('conns', values.conns, 3000, 3, 200_000);
  const store = values.store ?? 'memory';
  if (store !== 'memory' && store !== 'sqlite') {
    throw new SoakUsageError(`--store must be memory or sqlite (got ${store})`);
  }
  const nodes = int('nodes', values.nodes, 1, 1, 16);
  if (nodes > 1 && values.store !== undefined) {
    throw new SoakUsageError('--store is for one node; several nodes share Redis');
  }
  return {
    conns,
    nodes,
    workers: int('workers', values.workers, Math.max(2, Math.ceil(conns / 5000)), 1, 64),
    rampPerSec: int('ramp', values.ramp, 1000, 1, 100_000),
    inFlight: int('in-flight', values['in-flight'], 256, 1, 10_000),
    holdS: int('hold', values.hold, 10, 0, 3600),
    messages: int('messages', values.messages, 20, 1, 10_000),
    intervalMs: int('interval', values.interval, 500, 1, 60_000),
    drainS: int('drain', values.drain, 30, 1, 3600),
    readyS: int('ready-timeout', values['ready-timeout'], 60, 1, 3600),
    connectTimeoutMs: int('connect-timeout', values['connect-timeout'], 10_000, 100, 600_000),
    store,
    anonymous: values.anonymous ?? false,
    serveArgs: values['serve-arg'] ?? [],
    json: values.json,
  };
}
