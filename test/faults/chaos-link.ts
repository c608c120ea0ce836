/**
 * One proxied connection of the chaos proxy: the client socket, the upstream
 * socket, and a pump per direction that draws a fault per chunk.
 */
import net from 'node:net';
import type { Prng } from './prng.js';

export interface FaultRates {
  /** Chance per chunk that the connection is cut. Default 0.01. */
  cut: number;
  /** Chance per chunk that the direction stalls for `stallMs`. Default 0.01. */
  stall: number;
  /** Chance per chunk that it is held for `lateMs` first. Default 0.1. */
  late: number;
  /** Chance per chunk that it goes out in 2..8 pieces, some of 1..`maxPiece` bytes. Default 0.1. */
  split: number;
  /** Chance per connection that a timer cuts it after `lifetimeMs`, busy or idle. Default 0.1. */
  lifetimeCut: number;
}

export interface ChaosStats {
  connections: number;
  cuts: number;
  stalls: number;
  late: number;
  splits: number;
  bytes: number;
}

export interface Knobs {
  stallMs: readonly [number, number];
  lateMs: readonly [number, number];
  lifetimeMs: readonly [number, number];
  maxPiece: number;
  host: string;
}

/** What a link reads from its proxy. */
export interface LinkHost {
  readonly stats: ChaosStats;
  readonly rates: FaultRates;
  readonly faultsOn: boolean;
  readonly frozen: boolean;
  readonly targetPort: number;
  knobs(): Knobs;
}

/** Queue bound per direction before the source is paused (backpressure). */
const HIGH_WATER = 256 * 1024;

/** One proxied connection: two sockets and a pump per direction. */
export class Link {
  private readonly proxy: LinkHost;
  private readonly client: net.Socket;
  private readonly upstream: net.Socket;
  private readonly rng: Prng;
  private readonly onGone: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private gone = false;
  private endedDirections = 0;
  /** Resolve when a direction's source ended (or closed) and its queue is flushed. */
  private readonly upFlushed: Promise<void>;
  private readonly downFlushed: Promise<void>;

  constructor(o: { proxy: LinkHost; client: net.Socket; rng: Prng; onGone: () => void }) {
    this.proxy = o.proxy;
    this.client = o.client;
    this.rng = o.rng;
    this.onGone = o.onGone;
    const k = this.proxy.knobs();
    this.upstream = net.connect({ host: k.host, port: this.proxy.targetPort, allowHalfOpen: true, noDelay: true });
    this.client.setNoDelay(true);
    for (const s of [this.client, this.upstream]) {
      s.on('error', () => this.destroy());
      s.on('close', () => this.onSocketClose(s));
    }
    this.upFlushed = this.pipe(this.client, this.upstream);
    this.downFlushed = this.pipe(this.upstream, this.client);
    if (this.proxy.frozen) this.upstream.pause();
    if (this.proxy.faultsOn && this.rng.chance(this.proxy.rates.lifetimeCut)) {
      this.later(this.rng.int(k.lifetimeMs[0], k.lifetimeMs[1]), () => {
        if (this.proxy.faultsOn) this.cut(this.rng.chance(0.5));
      });
    }
  }

  hold(on: boolean): void {
    if (on) this.upstream.pause();
    else this.upstream.resume();
  }

  /** Closes both sides: with a FIN after what was written, or at once with an RST. */
  cut(reset: boolean): void {
    if (this.gone) return;
    this.proxy.stats.cuts++;
    if (reset) this.destroy(true);
    else {
      this.client.end();
      this.upstream.end();
      this.later(200, () => this.destroy());
    }
  }

  destroy(reset = false): void {
    if (this.gone) return;
    this.gone = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of [this.client, this.upstream]) {
      if (reset && !s.destroyed && typeof s.resetAndDestroy === 'function' && s.readyState === 'open')
        s.resetAndDestroy();
      else s.destroy();
    }
    this.onGone();
  }

  /**
   * A socket that is fully closed can neither send nor receive: once what it
   * sent is flushed to the other side, the link is done.
   */
  private onSocketClose(from: net.Socket): void {
    const flushed = from === this.client ? this.upFlushed : this.downFlushed;
    void flushed.then(() => this.destroy());
  }

  private later(ms: number, fn: () => void): void {
    if (this.gone) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.gone) resolve();
      else this.later(ms, resolve);
    });
  }

  private pipe(from: net.Socket, to: net.Socket): Promise<void> {
    let flushed!: () => void;
    const done = new Promise<void>((resolve) => (flushed = resolve));
    const queue: Buffer[] = [];
    let queued = 0;
    let pumping = false;
    let ended = false;
    const pump = async (): Promise<void> => {
      if (pumping) return;
      pumping = true;
      try {
        while (queue.length > 0 && !this.gone) {
          const chunk = queue.shift()!;
          queued -= chunk.length;
          if (queued < HIGH_WATER && from.isPaused() && !(from === this.upstream && this.proxy.frozen)) from.resume();
          await this.deliver(chunk, to);
        }
        if (ended && queue.length === 0) {
          if (!this.gone && !to.destroyed) to.end();
          this.endedDirections++;
          flushed();
          if (this.endedDirections >= 2) this.destroy();
        }
      } finally {
        pumping = false;
      }
    };
    from.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued >= HIGH_WATER) from.pause();
      void pump();
    });
    const onEnd = (): void => {
      if (ended) return;
      ended = true;
      void pump();
    };
    from.on('end', onEnd);
    from.on('close', onEnd);
    return done;
  }

  private async deliver(chunk: Buffer, to: net.Socket): Promise<void> {
    const stats = this.proxy.stats;
    const rates = this.proxy.rates;
    const k = this.proxy.knobs();
    if (this.proxy.faultsOn) {
      if (this.rng.chance(rates.cut)) {
        this.cut(this.rng.chance(0.5));
        return;
      }
      if (this.rng.chance(rates.stall)) {
        stats.stalls++;
        await this.sleep(this.rng.int(k.stallMs[0], k.stallMs[1]));
      } else if (this.rng.chance(rates.late)) {
        stats.late++;
        await this.sleep(this.rng.int(k.lateMs[0], k.lateMs[1]));
      }
      if (this.rng.chance(rates.split) && chunk.length > 1) {
        stats.splits++;
        // A few pieces, some of them tiny: enough to land a cut inside any
        // header, frame or JSON text, without turning 64 KiB into 8,000 writes.
        const pieces = this.rng.int(2, 8);
        let off = 0;
        for (let i = 1; i < pieces && off < chunk.length - 1 && !this.gone; i++) {
          const n = this.rng.chance(0.5) ? this.rng.int(1, k.maxPiece) : this.rng.int(1, chunk.length - off - 1);
          await this.write(to, chunk.subarray(off, off + n));
          off += n;
          await this.sleep(this.rng.int(0, 3));
        }
        if (off < chunk.length) await this.write(to, chunk.subarray(off));
        stats.bytes += chunk.length;
        return;
      }
    }
    if (this.gone) return;
    await this.write(to, chunk);
    stats.bytes += chunk.length;
  }

  private write(to: net.Socket, data: Buffer): Promise<void> {
    if (this.gone || to.destroyed || !to.writable) return Promise.resolve();
    if (to.write(data)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        to.off('drain', done);
        to.off('close', done);
        resolve();
      };
      to.once('drain', done);
      to.once('close', done);
    });
  }
}
