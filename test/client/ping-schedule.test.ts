/**
 * The adaptive RTT ping schedule: frequent only while the latency panel is
 * open or just after activity, otherwise no more often than the heartbeat.
 * The schedule itself under fake timers; its wiring in ChatClient against
 * the real server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PingSchedule } from '../../src/client/ping-schedule.js';
import type { Via } from '../../src/protocol/index.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/index.js';
import { FAST, Tracked } from './support.js';

describe('PingSchedule', () => {
  let pings: number[];
  let s: PingSchedule;
  const t0 = 1_000_000;
  const at = (): number[] => pings.map((p) => p - t0);

  beforeEach(() => {
    vi.useFakeTimers({ now: t0 });
    pings = [];
    const options = { activeMs: 5000, idleMs: 60_000, heartbeatMs: 15_000, activeWindowMs: 15_000 };
    s = new PingSchedule(options, () => pings.push(Date.now()));
  });
  afterEach(() => {
    s.stop();
    vi.useRealTimers();
  });

  it('pings at once when started, then only every idle period while nothing happens', () => {
    s.start();
    vi.advanceTimersByTime(59_999);
    expect(at()).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(at()).toEqual([0, 60_000]);
    vi.advanceTimersByTime(180_000);
    expect(at()).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
  });

  it('never pings more often than the heartbeat when idle, whatever idleMs says', () => {
    const fast = new PingSchedule({ activeMs: 1000, idleMs: 2000, heartbeatMs: 15_000 }, () => pings.push(Date.now()));
    expect(fast.idleMs).toBe(15_000);
    fast.start();
    vi.advanceTimersByTime(45_000);
    fast.stop();
    expect(at()).toEqual([0, 15_000, 30_000, 45_000]);
  });

  it('pings every active period while focused, and goes back to idle when the focus goes', () => {
    s.start();
    vi.advanceTimersByTime(2000);
    s.setFocus(true);
    // The last ping is 2 s old: the next one is due 5 s after it.
    vi.advanceTimersByTime(13_000);
    expect(at()).toEqual([0, 5000, 10_000, 15_000]);
    s.setFocus(false);
    vi.advanceTimersByTime(59_999);
    expect(at()).toEqual([0, 5000, 10_000, 15_000]);
    vi.advanceTimersByTime(1);
    expect(at()).toEqual([0, 5000, 10_000, 15_000, 75_000]);
  });

  it('focus on a stale RTT pings at once', () => {
    s.start();
    vi.advanceTimersByTime(30_000);
    s.setFocus(true);
    vi.advanceTimersByTime(0);
    expect(at()).toEqual([0, 30_000]);
  });

  it('activity pings soon, keeps the active period for the window, then falls back to idle', () => {
    s.start();
    vi.advanceTimersByTime(40_000);
    s.activity();
    vi.advanceTimersByTime(0);
    // Active until 55 s (the window): pings at 40, 45, 50; the one due at 55 finds the window over.
    vi.advanceTimersByTime(20_000);
    expect(at()).toEqual([0, 40_000, 45_000, 50_000]);
    vi.advanceTimersByTime(60_000);
    expect(at()).toEqual([0, 40_000, 45_000, 50_000, 110_000]);
  });

  it('activity on every message keeps one timer armed, and does not ping faster than the active period', () => {
    s.start();
    for (let i = 0; i < 10_000; i++) s.activity();
    expect(vi.getTimerCount()).toBe(1);
    for (let ms = 0; ms < 10_000; ms += 100) {
      s.activity();
      vi.advanceTimersByTime(100);
    }
    expect(at()).toEqual([0, 5000, 10_000]);
  });

  it('stop silences it; start pings at once again', () => {
    s.start();
    s.stop();
    vi.advanceTimersByTime(600_000);
    expect(at()).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
    s.start();
    expect(at()).toEqual([0, 600_000]);
  });
});

describe.each(['ws', 'sse', 'longpoll'] as Via[])('ChatClient latency focus over %s', (via) => {
  const t = new Tracked();
  let server: TestServer | undefined;
  afterEach(async () => {
    await t.stopAll();
    await server?.close();
  });

  it('pings once when it connects, then frequently only while the latency panel is open', async () => {
    server = await startTestServer();
    const c = t.client({ servers: [server.url], room: 'lobby', nick: 'ann', via, pingIntervalMs: 50, ...FAST });
    await c.start();
    await waitFor(() => c.latency.rtt.samples === 1, { what: 'the ping of the new connection' });
    c.setLatencyFocus(true);
    await waitFor(() => c.latency.rtt.samples >= 4, { what: 'pings every 50 ms while focused' });
  });
});
