/**
 * A TCP proxy that misbehaves on purpose, between clients and the server.
 * Every accepted connection gets its own PRNG forked from the seed (by
 * connection number), and per chunk of bytes, in each direction, it may:
 * cut the connection (FIN or RST, both sides), stall that direction for a few
 * seconds, deliver the chunk late, or deliver it in small pieces. Bytes that
 * are delivered are always delivered intact and in order: the faults are
 * those of a real network, not corruption.
 *
 * Timing decides chunk boundaries, so a replay with the same seed draws the
 * same sequence of faults per connection, not the same bytes.
 */
import net from 'node:net';
import { Link, type ChaosStats, type FaultRates, type Knobs, type LinkHost } from './chaos-link.js';
import { Prng } from './prng.js';

export type { ChaosStats, FaultRates } from './chaos-link.js';

export interface ChaosProxyOptions {
  /** The server behind the proxy (loopback). */
  targetPort: number;
  /** Default '127.0.0.1'. */
  targetHost?: string;
  seed: number;
  faults?: Partial<FaultRates>;
  /** Stall length range, ms. Default [1000, 3000]. */
  stallMs?: readonly [number, number];
  /** Late delivery range, ms. Default [5, 200]. */
  lateMs?: readonly [number, number];
  /** Timed-cut range, ms. Default [200, 5000]. */
  lifetimeMs?: readonly [number, number];
  /** Largest piece of a split chunk, bytes. Default 16. */
  maxPiece?: number;
}

const DEFAULT_RATES: FaultRates = { cut: 0.01, stall: 0.01, late: 0.1, split: 0.1, lifetimeCut: 0.1 };

export class ChaosProxy implements LinkHost {
  readonly stats: ChaosStats = { connections: 0, cuts: 0, stalls: 0, late: 0, splits: 0, bytes: 0 };
  /** When false, new chunks pass untouched (lets a test end in calm weather). */
  faultsOn = true;
  /** While true, nothing is read from the server: the client side looks like a reader that stopped. */
  frozen = false;
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private readonly root: Prng;
  readonly rates: FaultRates;

  private constructor(
    readonly options: ChaosProxyOptions,
    server: net.Server,
  ) {
    this.server = server;
    this.root = new Prng(options.seed);
    this.rates = { ...DEFAULT_RATES, ...options.faults };
  }

  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const server = net.createServer({ allowHalfOpen: true, noDelay: true });
    const proxy = new ChaosProxy(options, server);
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get port(): number {
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('proxy is not listening');
    return a.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.links.size;
  }

  /**
   * Stops reading from the server on every link, present and future: the
   * server's writes pile up in its buffers exactly as for a client that
   * stopped reading. `thaw` delivers everything held, in order.
   */
  freeze(): void {
    this.frozen = true;
    for (const link of this.links) link.hold(true);
  }

  thaw(): void {
    this.frozen = false;
    for (const link of this.links) link.hold(false);
  }

  /** Cuts every open connection now (a network blip for everyone). */
  cutAll(): void {
    for (const link of [...this.links]) link.cut(true);
  }

  async close(): Promise<void> {
    this.faultsOn = false;
    for (const link of [...this.links]) link.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const n = this.stats.connections++;
    const link = new Link({
      proxy: this,
      client,
      rng: this.root.fork(n),
      onGone: () => this.links.delete(link),
    });
    this.links.add(link);
  }

  get targetPort(): number {
    return this.options.targetPort;
  }

  /** The knobs a link reads. */
  knobs(): Knobs {
    return {
      stallMs: this.options.stallMs ?? [1000, 3000],
      lateMs: this.options.lateMs ?? [5, 200],
      lifetimeMs: this.options.lifetimeMs ?? [200, 5000],
      maxPiece: this.options.maxPiece ?? 16,
      host: this.options.targetHost ?? '127.0.0.1',
    };
  }
}
