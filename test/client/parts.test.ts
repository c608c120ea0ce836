/** Unit tests of the client core's parts: no network. */
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/client/backoff.js';
import { ConnectionStateMachine } from '../../src/client/connection-state.js';
import { StreamCursor } from '../../src/client/cursor.js';
import { LatencyTracker, RollingStats } from '../../src/client/latency.js';
import type { ConnectionState, StateChange } from '../../src/client/types.js';
import type { MessageEvent } from '../../src/protocol/index.js';

function msg(seq: number): MessageEvent {
  return { type: 'message', room: 'lobby', seq, nick: 'ann', cid: `c${seq}`, text: `m${seq}`, ts: 1000 + seq };
}

describe('Backoff', () => {
  it('stays within [0, min(max, min·2^n)] and reaches both ends', () => {
    const lo = new Backoff({ minMs: 500, maxMs: 30_000, random: () => 0 });
    const hi = new Backoff({ minMs: 500, maxMs: 30_000, random: () => 0.999999999 });
    const expected = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000];
    expected.forEach((cap, n) => {
      expect(lo.delay(n)).toBe(0);
      expect(hi.delay(n)).toBe(cap);
      expect(hi.ceiling(n)).toBe(cap);
    });
    expect(hi.delay(5000)).toBe(30_000);
  });

  it('defaults to 0.5 s .. 30 s and jitters over the whole window', () => {
    const b = new Backoff();
    expect(b.minMs).toBe(500);
    expect(b.maxMs).toBe(30_000);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const d = b.delay(3);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(4000);
      // The window is inclusive (0..4000): 4000 itself belongs to the last quarter.
      seen.add(Math.min(3, Math.floor(d / 1000)));
    }
    // Full jitter: every quarter of the 0..4000 window gets hit in 200 draws.
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('ConnectionStateMachine', () => {
  it('emits {oldState, newState} only on a real change', () => {
    const changes: StateChange[] = [];
    const initial: ConnectionState = { name: 'connecting', via: 'ws', server: 'http://a' };
    const sm = new ConnectionStateMachine(initial, (c) => changes.push(c));
    expect(sm.set({ name: 'connecting', via: 'ws', server: 'http://a' })).toBe(false);
    expect(sm.set({ name: 'connecting', via: 'sse', server: 'http://a' })).toBe(true);
    expect(sm.set({ name: 'online', via: 'sse', server: 'http://a' })).toBe(true);
    expect(sm.set({ name: 'online', via: 'sse', server: 'http://a' })).toBe(false);
    const r: ConnectionState = {
      name: 'reconnecting',
      via: 'sse',
      server: 'http://a',
      attempt: 1,
      nextInMs: 300,
      at: 5,
      reason: 'x',
    };
    expect(sm.set(r)).toBe(true);
    expect(sm.set({ ...r })).toBe(false);
    expect(sm.set({ ...r, attempt: 2, at: 9 })).toBe(true);
    expect(sm.set({ name: 'offline', reason: 'stopped' })).toBe(true);
    expect(sm.set({ name: 'offline', reason: 'stopped' })).toBe(false);
    expect(changes.map((c) => c.newState.name)).toEqual([
      'connecting',
      'online',
      'reconnecting',
      'reconnecting',
      'offline',
    ]);
    expect(changes[0]?.oldState).toBe(initial);
    expect(changes[1]?.oldState).toBe(changes[0]?.newState);
    expect(sm.state).toEqual({ name: 'offline', reason: 'stopped' });
  });
});

describe('StreamCursor', () => {
  it('asks for recent history until anchored, then resumes from seq and epoch', () => {
    const c = new StreamCursor();
    expect(c.position()).toEqual({});
    c.onHello({
      type: 'hello',
      protocol: 1,
      server: 's',
      room: 'lobby',
      epoch: 'E1',
      head: 40,
      time: 0,
      limits: { maxText: 4000, maxNick: 32 },
    });
    expect(c.position()).toEqual({});
    expect(c.acceptMessage(msg(39))).toBe(true);
    expect(c.position()).toEqual({ after: 39, epoch: 'E1' });
    const empty = new StreamCursor();
    empty.onHello({
      type: 'hello',
      protocol: 1,
      server: 's',
      room: 'lobby',
      epoch: 'E2',
      head: 0,
      time: 0,
      limits: { maxText: 4000, maxNick: 32 },
    });
    expect(empty.position()).toEqual({ after: 0, epoch: 'E2' });
    expect(new StreamCursor({ seq: 7, epoch: 'E' }).position()).toEqual({ after: 7, epoch: 'E' });
  });

  it('drops duplicates and anything at or below the cursor', () => {
    const c = new StreamCursor({ seq: 0, epoch: 'E' });
    const accepted = [1, 2, 2, 3, 1, 4, 3, 5].filter((s) => c.acceptMessage(msg(s)));
    expect(accepted).toEqual([1, 2, 3, 4, 5]);
    expect(c.snapshot()).toEqual({ seq: 5, epoch: 'E' });
  });

  it('jumps past a gap once, and ignores the same gap again', () => {
    const c = new StreamCursor({ seq: 2, epoch: 'E' });
    expect(c.acceptGap({ type: 'gap', room: 'lobby', from: 3, to: 1200 })).toBe(true);
    expect(c.seq).toBe(1200);
    expect(c.acceptGap({ type: 'gap', room: 'lobby', from: 3, to: 1200 })).toBe(false);
    expect(c.acceptMessage(msg(1100))).toBe(false);
    expect(c.acceptMessage(msg(1201))).toBe(true);
  });

  it('applies a reset (new epoch, back to 0 so the replay is accepted) and drops a repeated one', () => {
    const c = new StreamCursor({ seq: 50, epoch: 'old' });
    expect(c.acceptReset({ type: 'reset', room: 'lobby', epoch: 'new', head: 3 })).toBe(true);
    expect(c.snapshot()).toEqual({ seq: 0, epoch: 'new' });
    expect(c.acceptMessage(msg(1))).toBe(true);
    expect(c.acceptMessage(msg(2))).toBe(true);
    // The same reset from an overlapping transport must not rewind again.
    expect(c.acceptReset({ type: 'reset', room: 'lobby', epoch: 'new', head: 3 })).toBe(false);
    expect(c.acceptMessage(msg(1))).toBe(false);
    // Same epoch but a cursor above the head is a real reset.
    const above = new StreamCursor({ seq: 90, epoch: 'E' });
    expect(above.acceptReset({ type: 'reset', room: 'lobby', epoch: 'E', head: 10 })).toBe(true);
    expect(above.seq).toBe(0);
  });
});

describe('latency', () => {
  it('RollingStats gives last, avg and nearest-rank p95 over its window', () => {
    const s = new RollingStats(100);
    expect(s.snapshot()).toEqual({ samples: 0 });
    for (let i = 1; i <= 100; i++) s.add(i);
    expect(s.snapshot()).toEqual({ last: 100, avg: 50.5, p95: 95, samples: 100 });
    for (let i = 0; i < 100; i++) s.add(7);
    s.add(1000);
    // The window slid: 99 sevens and one 1000.
    expect(s.snapshot()).toEqual({ last: 1000, avg: (99 * 7 + 1000) / 100, p95: 7, samples: 100 });
  });

  it('takes the clock offset from the lowest-RTT ping (NTP method), within the window', () => {
    const l = new LatencyTracker({ offsetWindow: 3 });
    expect(l.offsetMs).toBeUndefined();
    // rtt 100, offset 500 - (0+100)/2 = 450
    expect(l.addPing({ t0: 0, server: 500, t3: 100 })).toBe(100);
    expect(l.offsetMs).toBe(450);
    // rtt 10, offset 1000 - 1005 = -5: lower RTT wins
    l.addPing({ t0: 1000, server: 1000, t3: 1010 });
    expect(l.offsetMs).toBe(-5);
    // rtt 40: does not displace the rtt-10 sample
    l.addPing({ t0: 2000, server: 3000, t3: 2040 });
    expect(l.offsetMs).toBe(-5);
    l.addPing({ t0: 3000, server: 3000, t3: 3050 });
    l.addPing({ t0: 4000, server: 4000, t3: 4060 });
    // The rtt-10 sample left the 3-ping window; the best left is rtt 40 (offset 980).
    expect(l.offsetMs).toBe(980);
    expect(l.snapshot().rtt).toMatchObject({ last: 60, samples: 5 });
  });

  it('computes delivery latency as receipt − (ts − offset), with the right sign', () => {
    const l = new LatencyTracker();
    expect(l.deliveryLatency(10_000, 10_050)).toBeUndefined();
    // Server clock 2000 ms ahead of ours.
    l.addPing({ t0: 0, server: 2010, t3: 20 });
    expect(l.offsetMs).toBe(2000);
    // Stored at server 12_000 = local 10_000; received locally at 10_030.
    expect(l.deliveryLatency(12_000, 10_030)).toBe(30);
    l.addDelivery(30);
    l.addOwnRoundTrip(12);
    expect(l.snapshot()).toMatchObject({
      offsetMs: 2000,
      delivery: { last: 30, samples: 1 },
      ownRoundTrip: { last: 12, samples: 1 },
    });
  });
});
