import type { MessageEvent } from '../protocol/index.js';
import { LatencyTracker, type PingSample } from './latency.js';
import type { LatencySnapshot } from './model.js';

/** Own sends remembered for the round-trip figure until seen back in the stream. */
const MAX_OWN_TRACKED = 10_000;

export interface LatencyFeedOptions {
  /** Whether a message counts for the delivery figure (LiveWindow.isLive: live ones only). */
  isLive: (seq: number, ts: number, offsetMs: number | undefined, room: string) => boolean;
  /** Hears a snapshot after each ping, and at most once a second (start()) when deliveries changed it. */
  onSnapshot: (snapshot: LatencySnapshot) => void;
}

/**
 * Feeds the client's latency figures as things happen: pings (RTT, clock
 * offset), the delivery latency of live messages, and own round trips (a
 * send seen back in the stream, from its last transmission).
 */
export class LatencyFeed {
  private readonly tracker = new LatencyTracker();
  private readonly ownSentAt = new Map<string, number>();
  private readonly options: LatencyFeedOptions;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: LatencyFeedOptions) {
    this.options = options;
  }

  snapshot(): LatencySnapshot {
    return this.tracker.snapshot();
  }

  /** Reports changed figures once a second until stop(). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.flush(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A ping answered: returns the RTT, in ms, and reports the figures at once. */
  addPing(sample: PingSample): number {
    const rtt = this.tracker.addPing(sample);
    this.dirty = false;
    this.options.onSnapshot(this.tracker.snapshot());
    return rtt;
  }

  /** An own send went out (again): the last transmission counts, time spent offline is not latency. */
  sent(cid: string): void {
    this.ownSentAt.delete(cid);
    this.ownSentAt.set(cid, performance.now());
    if (this.ownSentAt.size > MAX_OWN_TRACKED) this.ownSentAt.delete(this.ownSentAt.keys().next().value as string);
  }

  /**
   * A new message arrived: returns its delivery latency, in ms (undefined
   * before the first ping gives a clock offset).
   */
  received(event: MessageEvent, own: boolean): number | undefined {
    const latencyMs = this.tracker.deliveryLatency(event.ts, Date.now());
    if (latencyMs !== undefined && this.options.isLive(event.seq, event.ts, this.tracker.offsetMs, event.room)) {
      this.tracker.addDelivery(latencyMs);
      this.dirty = true;
    }
    if (own) {
      const sentAt = this.ownSentAt.get(event.cid);
      if (sentAt !== undefined) {
        this.ownSentAt.delete(event.cid);
        this.tracker.addOwnRoundTrip(performance.now() - sentAt);
        this.dirty = true;
      }
    }
    return latencyMs;
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.options.onSnapshot(this.tracker.snapshot());
  }
}
