/**
 * `rtchat bench`, the heavy half (loaded lazily by src/cli/bench.ts): starts or
 * targets a server, forks the load generator, benches each transport in turn,
 * and prints the table or JSON. Never loads Ink or React.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { GeneratorHandle } from './generator-process.js';
import { formatIdle, measureIdle } from './idle/idle-bench.js';
import { formatReport } from './report.js';
import { benchFlavor } from './runner.js';
import { remoteServer, spawnServer, type ServerHandle } from './server-process.js';
import type { BenchReport, Flavor, GeneratorProgress } from './types.js';
import type { Via } from '../protocol/events.js';
import { isTty } from '../util/tty.js';

export interface BenchCommandOptions {
  /** Target server; undefined starts one in a child process. */
  server?: string;
  token?: string;
  /** Subscribers per transport. */
  clients: number;
  vias: Via[];
  /** Broadcasts per second. */
  rate: number;
  /** Seconds per transport. */
  duration: number;
  json: boolean;
  /** Pin server and generator to different CPUs (own server, 2+ CPUs). */
  pin: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}

export class BenchUnreachableError extends Error {
  readonly code = 'unreachable';
}

async function checkReachable(url: string, token: string | undefined): Promise<void> {
  try {
    const res = await fetch(new URL('/healthz', url), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
  } catch (err) {
    throw new BenchUnreachableError(`cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function progressLine(stderr: NodeJS.WriteStream, flavor: Flavor, duration: number) {
  return (p: GeneratorProgress): void => {
    const pct = p.expected > 0 ? ` (${Math.floor((p.delivered / p.expected) * 100)}%)` : '';
    stderr.write(
      `\r\x1b[K${flavor}  ${p.elapsed.toFixed(1)}s/${duration}s` +
        `  published ${p.published}  delivered ${p.delivered.toLocaleString('en-US')}${pct}`,
    );
  };
}

/** Runs the bench; resolves with true when nothing was lost or reordered. */
export async function runBenchCommand(opts: BenchCommandOptions): Promise<boolean> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const tty = isTty(stderr);
  const pin = opts.pin && !opts.server && os.cpus().length >= 2;
  let server: ServerHandle;
  if (opts.server) {
    await checkReachable(opts.server, opts.token);
    server = remoteServer(opts.server, opts.token);
  } else {
    server = await spawnServer({
      script: fileURLToPath(new URL('./server-host.js', import.meta.url)),
      label: 'rtchat server',
      ...(pin ? { cpu: 0 } : {}),
    });
  }
  let generator: GeneratorHandle | undefined;
  try {
    generator = await GeneratorHandle.start(pin ? { cpu: 1 } : {});
    const report: BenchReport = {
      server: opts.server ?? `${server.url} (child pid ${server.pid ?? '?'})`,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      started: new Date().toISOString(),
      rows: [],
    };
    for (const via of opts.vias) {
      const flavor: Flavor = `rtchat-${via}`;
      if (tty) stderr.write(`\r\x1b[K${flavor}  connecting ${opts.clients} subscribers…`);
      const row = await benchFlavor({
        generator,
        server,
        flavor,
        clients: opts.clients,
        rate: opts.rate,
        duration: opts.duration,
        ...(opts.token ? { token: opts.token } : {}),
        ...(tty ? { onProgress: progressLine(stderr, flavor, opts.duration) } : {}),
      });
      report.rows.push(row);
    }
    if (tty) stderr.write('\r\x1b[K');
    stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return report.rows.every((r) => r.load.lost === 0 && r.load.outOfOrder === 0);
  } finally {
    await generator?.close();
    await server.close();
  }
}

export interface IdleCommandOptions {
  /** Target server; undefined starts one in a child process. */
  server?: string;
  token?: string;
  vias: Via[];
  /** Measured window, seconds. */
  windowS: number;
  /** Also measure each transport with the latency panel open. */
  latencyPanel: boolean;
  json: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}

/** `rtchat bench --idle`: bytes, packets and wake-ups per idle hour of one client per transport. */
export async function runIdleCommand(opts: IdleCommandOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const tty = isTty(stderr);
  let server: ServerHandle;
  if (opts.server) {
    await checkReachable(opts.server, opts.token);
    server = remoteServer(opts.server, opts.token);
  } else {
    const script = fileURLToPath(new URL('./server-host.js', import.meta.url));
    server = await spawnServer({ script, label: 'rtchat server' });
  }
  try {
    const rows = await measureIdle({
      server: server.url,
      ...(opts.token ? { token: opts.token } : {}),
      vias: opts.vias,
      windowS: opts.windowS,
      latencyPanel: opts.latencyPanel,
      ...(tty ? { onProgress: (left: number) => stderr.write(`\r\x1b[Kidle: ${left} s left`) } : {}),
    });
    if (tty) stderr.write('\r\x1b[K');
    const json = `${JSON.stringify({ server: server.url, node: process.version, rows }, null, 2)}\n`;
    stdout.write(opts.json ? json : `${formatIdle(rows)}\n`);
  } finally {
    await server.close();
  }
}
