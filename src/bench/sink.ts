/**
 * Where every subscriber hands what it receives: checks order by seq per
 * subscriber, counts deliveries of the current phase and records latency in an
 * HDR histogram (microseconds).
 */
import hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { scanMessage, scanText, type Scan } from './payload.js';
import type { LatencySummary } from './types.js';

export class Sink {
  /** Phase whose deliveries count; others (history, earlier phases) only feed the order check. */
  phase = 0;
  delivered = 0;
  outOfOrder = 0;
  lastDeliveryAt = 0;
  private lastSeq: Float64Array;
  private histogram: Histogram;
  private readonly scan: Scan = { seq: 0, phase: 0, sentAt: 0 };

  constructor(capacity: number) {
    this.lastSeq = new Float64Array(capacity);
    this.histogram = Sink.newHistogram();
  }

  private static newHistogram(): Histogram {
    return hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 120_000_000,
      numberOfSignificantValueDigits: 3,
    });
  }

  /** Grows the per-subscriber tables; indexes stay valid. */
  ensure(capacity: number): void {
    if (capacity <= this.lastSeq.length) return;
    const next = new Float64Array(Math.max(capacity, this.lastSeq.length * 2));
    next.set(this.lastSeq);
    this.lastSeq = next;
  }

  /** Forgets a subscriber slot's order state (a new subscriber takes it). */
  resetSlot(index: number): void {
    this.lastSeq[index] = 0;
  }

  /** Starts a new measured phase. */
  begin(phase: number): void {
    this.phase = phase;
    this.delivered = 0;
    this.outOfOrder = 0;
    this.lastDeliveryAt = 0;
    this.histogram = Sink.newHistogram();
  }

  /** A serialized message event (JSON text, or a packet that embeds it). */
  json(index: number, s: string): void {
    if (scanMessage(s, this.scan)) this.record(index, performance.now());
  }

  /** An already parsed message event. */
  event(index: number, seq: number, text: string): void {
    if (scanText(seq, text, this.scan)) this.record(index, performance.now());
  }

  private record(index: number, now: number): void {
    const scan = this.scan;
    const last = this.lastSeq[index] ?? 0;
    if (scan.seq <= last) this.outOfOrder++;
    else this.lastSeq[index] = scan.seq;
    if (scan.phase !== this.phase) return;
    this.delivered++;
    this.lastDeliveryAt = now;
    const us = Math.round((now - scan.sentAt) * 1000);
    this.histogram.recordValue(us > 0 ? us : 0);
  }

  latency(): LatencySummary {
    const h = this.histogram;
    const ms = (us: number): number => Math.round(us) / 1000;
    return {
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
      mean: ms(h.mean),
      count: h.totalCount,
    };
  }
}
