/**
 * A worker's counters: deliveries and their POST-to-receipt latency (an HDR
 * histogram in ms), duplicates, holes, drops by code, reconnects, and the
 * first few errors.
 */
import hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Errors kept for the report. */
const MAX_ERRORS = 5;

/** ms, 1 ms to an hour, 3 significant digits. */
function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3 });
}

export class Tally {
  duplicates = 0;
  gaps = 0;
  reconnects = 0;
  /** Polls sent again at once after a reused keep-alive socket turned out closed. */
  retries = 0;
  deliveries = 0;
  lastDeliveryAt = 0;
  readonly closes: Record<string, number> = {};
  readonly errors: string[] = [];
  readonly histogram: Histogram = newHistogram();

  /**
   * One first arrival at wall-clock `now` of a message posted at `sentAt`
   * (both ms; `sentAt` 0 when the text carries none).
   */
  delivered(now: number, sentAt: number): void {
    this.deliveries++;
    this.lastDeliveryAt = now;
    if (sentAt > 0) this.histogram.recordValue(Math.max(1, Math.round(now - sentAt)));
  }

  close(code: string): void {
    this.closes[code] = (this.closes[code] ?? 0) + 1;
  }

  error(message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(message);
  }
}

/** Merges compressed histograms from the workers; p50/p90/p99/max in ms. */
export function mergeLatency(encoded: string[]): { p50: number; p90: number; p99: number; max: number; count: number } {
  const total = newHistogram();
  for (const e of encoded) total.add(hdr.decodeFromCompressedBase64(e));
  return {
    p50: total.getValueAtPercentile(50),
    p90: total.getValueAtPercentile(90),
    p99: total.getValueAtPercentile(99),
    max: total.maxValue,
    count: total.totalCount,
  };
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}
