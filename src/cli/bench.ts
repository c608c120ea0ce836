import type { Argv, CommandModule } from 'yargs';
import { VIAS, type Via } from '../protocol/events.js';
import { CliError, EXIT } from './exit-codes.js';

export interface BenchArgs {
  server?: string | undefined;
  token?: string | undefined;
  clients: number;
  via: string;
  rate: number;
  duration: number;
  json: boolean;
  pin: boolean;
  idle: boolean;
  window: number;
  'latency-panel': boolean;
}

function parseVias(list: string): Via[] {
  const vias = list
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  for (const v of vias) {
    if (!(VIAS as readonly string[]).includes(v))
      throw new CliError(`unknown transport "${v}" (use ws, sse, longpoll)`, EXIT.usage);
  }
  if (vias.length === 0) throw new CliError('--via needs at least one transport', EXIT.usage);
  return [...new Set(vias)] as Via[];
}

function positive(name: string, n: number): number {
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a positive number`, EXIT.usage);
  return n;
}

/**
 * `rtchat bench`: end-to-end latency, throughput, server CPU and memory per
 * transport; `rtchat bench --idle`: what one idle client costs on the wire.
 */
export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'measure latency, throughput, CPU and memory of each transport',
  builder: (y: Argv) =>
    y
      .option('server', {
        type: 'string',
        describe: 'server base URL to measure (default: start one in a child process)',
      })
      .option('token', { type: 'string', describe: 'bearer token, if the server needs one' })
      .option('clients', { type: 'number', default: 100, describe: 'subscribers per transport' })
      .option('via', { type: 'string', default: VIAS.join(','), describe: 'transports, comma-separated' })
      .option('rate', { type: 'number', default: 20, describe: 'broadcasts per second' })
      .option('duration', { type: 'number', default: 5, describe: 'seconds of load per transport' })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON' })
      .option('pin', {
        type: 'boolean',
        default: true,
        describe: 'pin the started server and the load generator to different CPUs (taskset)',
      })
      .option('idle', {
        type: 'boolean',
        default: false,
        describe: 'instead: bytes, packets and wake-ups per idle hour of one client per transport',
      })
      .option('window', { type: 'number', default: 300, describe: 'with --idle: seconds measured (scaled to an hour)' })
      .option('latency-panel', {
        type: 'boolean',
        default: false,
        describe: 'with --idle: also measure each transport with the latency panel open',
      }),
  handler: async (args) => {
    const vias = parseVias(args.via);
    const { runBenchCommand, runIdleCommand, BenchUnreachableError } = await import('../bench/bench-command.js');
    try {
      if (args.idle) {
        await runIdleCommand({
          ...(args.server ? { server: args.server } : {}),
          ...(args.token ? { token: args.token } : {}),
          vias,
          windowS: positive('window', args.window),
          latencyPanel: args['latency-panel'],
          json: args.json,
        });
        return;
      }
      const clean = await runBenchCommand({
        ...(args.server ? { server: args.server } : {}),
        ...(args.token ? { token: args.token } : {}),
        clients: Math.round(positive('clients', args.clients)),
        vias,
        rate: positive('rate', args.rate),
        duration: positive('duration', args.duration),
        json: args.json,
        pin: args.pin,
      });
      if (!clean) throw new CliError('deliveries were lost or reordered (see the table)');
    } catch (err) {
      if (err instanceof BenchUnreachableError) throw new CliError(err.message, EXIT.unreachable);
      throw err;
    }
  },
};
