/**
 * One transport's bench against one server: idle memory of its subscribers,
 * then a publish load, with server CPU and RSS around it. Shared by
 * `rtchat bench` and bench/run.js.
 */
import { randomBytes } from 'node:crypto';
import type { GeneratorHandle } from './generator-process.js';
import type { ServerHandle } from './server-process.js';
import type { BenchRow, ConnectResult, Flavor, GeneratorProgress, LoadResult } from './types.js';

export interface FlavorBenchOptions {
  generator: GeneratorHandle;
  server: ServerHandle;
  flavor: Flavor;
  clients: number;
  /** Broadcasts per second. */
  rate: number;
  /** Seconds; 0 measures idle memory only. */
  duration: number;
  token?: string;
  onProgress?: (p: GeneratorProgress) => void;
  /** Pause after connecting before the memory sample, so held requests have reached the server. Default 500 ms. */
  settleMs?: number;
}

export class BenchError extends Error {
  readonly code: 'connect_failed' | 'generator';
  constructor(code: BenchError['code'], message: string) {
    super(message);
    this.name = 'BenchError';
    this.code = code;
  }
}

/** A fresh room per bench, so no history from earlier runs reaches the subscribers. */
export function benchRoom(): string {
  return `bench-${randomBytes(4).toString('hex')}`;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function connectAll(opts: FlavorBenchOptions, room: string): Promise<ConnectResult> {
  const result = await opts.generator.connect({
    flavor: opts.flavor,
    url: opts.server.url,
    room,
    count: opts.clients,
    ...(opts.token ? { token: opts.token } : {}),
  });
  if (result.failed > 0) {
    await opts.generator.disconnect();
    throw new BenchError(
      'connect_failed',
      `${opts.flavor}: ${result.failed} of ${opts.clients} subscribers failed to connect` +
        ` (${result.firstError ?? 'no detail'})`,
    );
  }
  return result;
}

export async function benchFlavor(opts: FlavorBenchOptions): Promise<BenchRow> {
  const { generator, server } = opts;
  const room = benchRoom();
  const before = await server.memory(true);
  await connectAll(opts, room);
  try {
    await delay(opts.settleMs ?? 500);
    const idle = await server.memory(true);
    const row: BenchRow = {
      flavor: opts.flavor,
      clients: opts.clients,
      rate: opts.rate,
      duration: opts.duration,
      load: emptyLoad(),
      server: { idleGc: Boolean(idle?.gc) },
    };
    if (before && idle) {
      row.server.idleBytesPerConn = (idle.rss - before.rss) / opts.clients;
      if (idle.heapUsed > 0) row.server.idleHeapPerConn = (idle.heapUsed - before.heapUsed) / opts.clients;
    }
    if (opts.duration > 0) {
      const cpu0 = await server.sample();
      row.load = await generator.load(
        {
          url: server.url,
          room,
          rate: opts.rate,
          duration: opts.duration,
          ...(opts.token ? { token: opts.token } : {}),
        },
        opts.onProgress,
      );
      const cpu1 = await server.sample();
      if (cpu0 && cpu1) {
        row.server.cpuSeconds = cpu1.cpuSeconds - cpu0.cpuSeconds;
        row.server.rss = cpu1.rss;
        if (row.load.delivered > 0) row.server.cpuPerMillion = row.server.cpuSeconds / (row.load.delivered / 1e6);
      }
    }
    return row;
  } finally {
    await generator.disconnect();
  }
}

function emptyLoad(): LoadResult {
  return {
    published: 0,
    acked: 0,
    publishErrors: {},
    expected: 0,
    delivered: 0,
    lost: 0,
    outOfOrder: 0,
    elapsed: 0,
    deliveredPerSec: 0,
    latency: { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, count: 0 },
    generator: { cpu: 0, loopDelayP99: 0, bottleneck: false },
    subscribersLost: 0,
  };
}
