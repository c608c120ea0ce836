/**
 * Smoke test of the benchmarks: `npm run bench -- --quick` and a tiny
 * `rtchat bench` produce their figures and lose nothing; `rtchat bench
 * --idle` reports every transport. Never a timing:
 * the machine is shared, and speed is what the bench reports, not asserts.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, makeTempDir, removeDir, ROOT, spawnRtchat, withTimeout } from '../helpers/index.js';
import type { BenchReport, BenchRow } from '../../src/bench/types.js';
import type { IdleRow } from '../../src/bench/idle/idle-bench.js';

interface QuickResult {
  fanout: Record<string, BenchRow>;
  maxrate: Record<string, { steps: { lost: number; deliveredPerSec: number }[] }>;
  idle: Record<string, BenchRow>;
}

/** One row of bench/multi-room.mjs's JSON (the fields checked here). */
interface MultiRoomRow {
  via: string;
  rooms: number;
  delivered: number;
  lost: number;
  outOfOrder: number;
  subscribersLost: number;
}

const FLAVORS = ['rtchat-ws', 'rtchat-sse', 'rtchat-longpoll', 'socketio-ws', 'socketio-polling', 'raw-ws', 'raw-sse'];

function expectCleanLoad(row: BenchRow): void {
  const what =
    `${row.flavor} (${row.load.subscribersLost} subscribers dropped: ${row.load.subscriberError ?? '-'}` +
    `; publish errors ${JSON.stringify(row.load.publishErrors)})`;
  expect(row.load.acked, what).toBe(row.load.published);
  expect(row.load.delivered, what).toBeGreaterThan(0);
  expect(row.load.delivered, what).toBe(row.load.expected);
  expect(row.load.lost, what).toBe(0);
  expect(row.load.outOfOrder, what).toBe(0);
  expect(row.load.latency.count).toBe(row.load.delivered);
  for (const v of [row.load.latency.p50, row.load.latency.p99, row.load.latency.max])
    expect(Number.isFinite(v)).toBe(true);
}

/** Runs `bench/<script>` to its end (killed past `timeoutMs`, ms): its exit code and stderr. */
async function runScript(script: string, args: string[], timeoutMs: number) {
  const child = spawn(process.execPath, [join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.resume();
  const code = await withTimeout(
    new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))),
    timeoutMs,
    `bench/${script} to finish`,
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { code, stderr };
}

describe('benchmarks (smoke)', () => {
  let dir = '';
  beforeAll(async () => {
    if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    dir = await makeTempDir('rtchat-bench-');
  });
  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it('npm run bench -- --quick measures every transport and loses nothing', async () => {
    const out = join(dir, 'quick.json');
    const { code, stderr } = await runScript('run.js', ['--quick', '--out', out], 110_000);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(await readFile(out, 'utf8')) as QuickResult;
    for (const flavor of FLAVORS) {
      const fan = result.fanout[flavor];
      expect(fan, flavor).toBeDefined();
      if (fan) expectCleanLoad(fan);
      const steps = result.maxrate[flavor]?.steps ?? [];
      expect(steps.length, flavor).toBeGreaterThan(0);
      for (const s of steps) expect(s.lost, flavor).toBe(0);
      const idle = result.idle[flavor]?.server.idleBytesPerConn;
      expect(Number.isFinite(idle), flavor).toBe(true);
    }
  }, 120_000);

  it('bench/multi-room.mjs measures 1 room against 3 on one connection per transport and loses nothing', async () => {
    const out = join(dir, 'multi-room.json');
    const args = ['--subs', '5', '--rates', '20', '--seconds', '1', '--runs', '1', '--no-pin', '--out', out];
    const { code, stderr } = await runScript('multi-room.mjs', args, 80_000);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(await readFile(out, 'utf8')) as { rows: MultiRoomRow[] };
    expect(result.rows.map((r) => `${r.via}×${r.rooms}`).sort()).toEqual(
      ['longpoll×1', 'longpoll×3', 'sse×1', 'sse×3', 'ws×1', 'ws×3'].sort(),
    );
    for (const row of result.rows) {
      const what = `${row.via} ×${row.rooms}`;
      expect(row.delivered, what).toBeGreaterThan(0);
      expect(row.lost, what).toBe(0);
      expect(row.outOfOrder, what).toBe(0);
      expect(row.subscribersLost, what).toBe(0);
    }
  }, 90_000);

  it('rtchat bench --json reports every transport of its own server', async () => {
    const proc = spawnRtchat(['bench', '--clients', '3', '--rate', '5', '--duration', '1', '--json']);
    const exit = await proc.exited;
    expect(exit.code, proc.stderr()).toBe(0);
    const report = JSON.parse(proc.stdout()) as BenchReport;
    expect(report.rows.map((r) => r.flavor)).toEqual(['rtchat-ws', 'rtchat-sse', 'rtchat-longpoll']);
    for (const row of report.rows) {
      expectCleanLoad(row);
      // Read from /proc in 10 ms ticks: 15 deliveries may cost the server less than one tick.
      expect(row.server.cpuPerMillion).toBeGreaterThanOrEqual(0);
      expect(row.server.rss).toBeGreaterThan(0);
    }
  }, 60_000);

  it('rtchat bench --idle --json reports one idle client per transport, with the latency panel open too', async () => {
    const proc = spawnRtchat(['bench', '--idle', '--window', '2', '--latency-panel', '--json']);
    const exit = await proc.exited;
    expect(exit.code, proc.stderr()).toBe(0);
    const report = JSON.parse(proc.stdout()) as { rows: IdleRow[] };
    expect(report.rows.map((r) => `${r.via}${r.latencyPanel ? '+panel' : ''}`)).toEqual([
      'ws',
      'ws+panel',
      'sse',
      'sse+panel',
      'longpoll',
      'longpoll+panel',
    ]);
    for (const row of report.rows) {
      expect(row.reconnects, row.via).toBe(0);
      expect(row.windowS).toBe(2);
      for (const v of Object.values(row.perHour)) expect(Number.isFinite(v) && v >= 0).toBe(true);
    }
  }, 60_000);
});
