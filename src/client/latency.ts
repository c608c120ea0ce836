/**
 * Latency bookkeeping, measured honestly (see docs/client.md for the exact
 * definitions):
 * - RTT of pings: last, average and p95 over the last `window` samples.
 * - Clock offset (server minus local) by the NTP four-timestamp method, taken
 *   from the lowest-RTT sample among the last `offsetWindow` pings, because a
 *   short round trip bounds the asymmetry error best (at most rtt/2).
 * - Per-message delivery latency: local receipt − (server ts − offset).
 * - Own round trip: from handing a send to the transport to seeing its cid back.
 */
import type { LatencySnapshot, Stats } from './model.js';

/** A ring buffer of numbers with last/avg/p95; adding is O(1) and allocation-free. */
export class RollingStats {
  private readonly buf: Float64Array;
  private count = 0;
  private next = 0;
  private lastValue: number | undefined;

  /** @param window how many recent samples the figures cover (default 100) */
  constructor(window = 100) {
    this.buf = new Float64Array(Math.max(1, window));
  }

  add(value: number): void {
    this.buf[this.next] = value;
    this.next = (this.next + 1) % this.buf.length;
    if (this.count < this.buf.length) this.count++;
    this.lastValue = value;
  }

  get samples(): number {
    return this.count;
  }

  snapshot(): Stats {
    if (this.count === 0) return { samples: 0 };
    const values = Array.from(this.buf.subarray(0, this.count)).sort((a, b) => a - b);
    let sum = 0;
    for (const v of values) sum += v;
    // Nearest-rank percentile: the smallest value with at least 95 % of samples at or below it.
    const rank = Math.max(1, Math.ceil(0.95 * values.length));
    return { last: this.lastValue, avg: sum / values.length, p95: values[rank - 1], samples: this.count };
  }
}

/** One ping: t0 local send, server its clock when answering, t3 local receipt (all wall-clock ms). */
export interface PingSample {
  t0: number;
  server: number;
  t3: number;
}

export interface LatencyTrackerOptions {
  /** Samples kept for each of the rolling figures. Default 100. */
  window?: number;
  /** Pings among which the lowest-RTT one sets the offset. Default 16 (80 s of 5 s pings, 16 min of idle ones). */
  offsetWindow?: number;
}

export class LatencyTracker {
  private readonly rtt: RollingStats;
  private readonly delivery: RollingStats;
  private readonly ownRoundTrip: RollingStats;
  private readonly offsetSamples: { rtt: number; offset: number }[] = [];
  private readonly offsetWindow: number;
  private offset: number | undefined;

  constructor(options: LatencyTrackerOptions = {}) {
    const window = options.window ?? 100;
    this.rtt = new RollingStats(window);
    this.delivery = new RollingStats(window);
    this.ownRoundTrip = new RollingStats(window);
    this.offsetWindow = Math.max(1, options.offsetWindow ?? 16);
  }

  /**
   * Records a ping and returns its RTT. The server stamps once, so t1 = t2 and
   * the NTP formulas reduce to rtt = t3 − t0 and offset = server − (t0 + t3) / 2.
   */
  addPing(sample: PingSample): number {
    const rtt = Math.max(0, sample.t3 - sample.t0);
    this.rtt.add(rtt);
    this.offsetSamples.push({ rtt, offset: sample.server - (sample.t0 + sample.t3) / 2 });
    if (this.offsetSamples.length > this.offsetWindow) this.offsetSamples.shift();
    let best = this.offsetSamples[0];
    for (const s of this.offsetSamples) if (best === undefined || s.rtt < best.rtt) best = s;
    this.offset = best?.offset;
    return rtt;
  }

  /** Server clock minus local clock, ms; undefined before the first ping. */
  get offsetMs(): number | undefined {
    return this.offset;
  }

  /**
   * Delivery latency of a message stamped `ts` by the server and received at
   * local wall-clock `receivedAt`; undefined until the offset is known.
   */
  deliveryLatency(ts: number, receivedAt: number): number | undefined {
    if (this.offset === undefined) return undefined;
    // ts − offset is the server stamp expressed on the local clock.
    return receivedAt - (ts - this.offset);
  }

  addDelivery(ms: number): void {
    this.delivery.add(ms);
  }

  addOwnRoundTrip(ms: number): void {
    this.ownRoundTrip.add(ms);
  }

  snapshot(): LatencySnapshot {
    return {
      rtt: this.rtt.snapshot(),
      offsetMs: this.offset,
      delivery: this.delivery.snapshot(),
      ownRoundTrip: this.ownRoundTrip.snapshot(),
    };
  }
}
