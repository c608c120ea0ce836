/**
 * The client's send pacer on an injected clock: its bucket, its hold after a
 * server refusal, and that it stays inside the server's real RateLimiter
 * even when the network delays sends unevenly (where an exact mirror fails).
 */
import { describe, expect, it } from 'vitest';
import { SendPacer } from '../../src/client/send-pacer.js';
import { LIMITS } from '../../src/protocol/index.js';
import { RateLimiter } from '../../src/server/rate-limit.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/**
 * A client sending `count` messages as fast as `pacer` lets it, each arriving
 * `delayOf(i)` ms later (in order, as over one connection), against the
 * server's limiter with the contract's numbers. Returns how many were refused.
 */
function refusedByServer(
  pacer: SendPacer,
  c: ReturnType<typeof clock>,
  count: number,
  delayOf: (i: number) => number,
): number {
  const arrivals: number[] = [];
  let last = 0;
  while (arrivals.length < count) {
    const wait = pacer.take();
    if (wait > 0) {
      c.advance(wait);
      continue;
    }
    last = Math.max(last, c.now() + delayOf(arrivals.length));
    arrivals.push(last);
  }
  let serverNow = 0;
  const server = new RateLimiter({ burst: LIMITS.rateBurst, perSecond: LIMITS.ratePerSecond, now: () => serverNow });
  let refused = 0;
  for (const at of arrivals) {
    serverNow = at;
    if (server.take('session') > 0) refused++;
  }
  return refused;
}

/** Deterministic jitter in [0, maxMs). */
function jitter(seed: number, maxMs: number): (i: number) => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return (s / 2 ** 32) * maxMs;
  };
}

describe('SendPacer', () => {
  it('lets a burst go at once, then one send per token, and says how long to wait', () => {
    const c = clock();
    const pacer = new SendPacer({ burst: 5, perSecond: 10, now: c.now });
    for (let i = 0; i < 5; i++) expect(pacer.take()).toBe(0);
    const wait = pacer.take();
    expect(wait).toBe(100);
    c.advance(wait - 1);
    expect(pacer.take()).toBeGreaterThan(0);
    c.advance(1);
    expect(pacer.take()).toBe(0);
    expect(pacer.take()).toBe(100);
    // Idle time refills up to the burst, no further.
    c.advance(60_000);
    expect(pacer.available()).toBe(5);
  });

  it('defaults to the contract with a margin: burst 36, 19 per second', () => {
    const c = clock();
    const pacer = new SendPacer({ now: c.now });
    expect(pacer.burst).toBe(LIMITS.rateBurst - 4);
    expect(pacer.perSecond).toBeCloseTo(LIMITS.ratePerSecond * 0.95);
    let sent = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      if (pacer.take() === 0) sent++;
      c.advance(1);
    }
    // 36 at once and 19 per second after, over ten seconds.
    expect(sent).toBeGreaterThanOrEqual(36 + 189);
    expect(sent).toBeLessThanOrEqual(36 + 191);
  });

  it('after a refusal, holds until the server has a token again, then paces from empty', () => {
    const c = clock();
    const pacer = new SendPacer({ burst: 10, perSecond: 10, now: c.now });
    expect(pacer.take()).toBe(0);
    pacer.holdFor(300);
    expect(pacer.take()).toBe(300);
    c.advance(299);
    expect(pacer.take()).toBeGreaterThan(0);
    c.advance(1);
    expect(pacer.take()).toBe(0);
    // From the server's empty bucket, not from the 9 tokens we thought we had.
    expect(pacer.take()).toBe(100);
    // A shorter hold than what is already owed changes nothing.
    pacer.holdFor(10);
    expect(pacer.take()).toBe(100);
  });

  it('never meets the server limit when the first send is slow to arrive and the rest are not', () => {
    const c = clock();
    expect(refusedByServer(new SendPacer({ now: c.now }), c, 400, (i) => (i === 0 ? 150 : 0))).toBe(0);
    // The same network against an exact mirror of the contract is refused: the margin is what holds.
    const mirror = clock();
    const exact = new SendPacer({ burst: LIMITS.rateBurst, perSecond: LIMITS.ratePerSecond, now: mirror.now });
    expect(refusedByServer(exact, mirror, 400, (i) => (i === 0 ? 150 : 0))).toBeGreaterThan(0);
  });

  it('never meets the server limit under random per-send delays up to 150 ms', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const c = clock();
      expect(refusedByServer(new SendPacer({ now: c.now }), c, 1000, jitter(seed, 150))).toBe(0);
    }
  });

  it('refuses nonsense limits', () => {
    expect(() => new SendPacer({ burst: 0 })).toThrow(RangeError);
    expect(() => new SendPacer({ perSecond: 0 })).toThrow(RangeError);
  });
});
