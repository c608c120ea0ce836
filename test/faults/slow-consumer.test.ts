/**
 * Slow consumer: one ChatClient per transport reads through a proxy that
 * stops reading from the server (its socket paused: the server's writes pile
 * up as for a client that stopped reading) while a stream of 12 KB messages
 * flows to fast clients on every transport. The server (a child process)
 * must cut the slow WebSocket (1013) and end the slow SSE stream, its memory
 * must stay bounded, and after the thaw the slow clients resume and end
 * complete. The fast clients' p99 delivery latency without and with the
 * frozen readers is reported, never asserted.
 *
 * Long polling keeps no per-client buffer on the server (an answered poll is
 * the whole backlog, at most `limit` messages), so its slow reader is only
 * checked to resume and end complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, spawnServe, stopIfStarted, waitFor } from '../helpers/index.js';
import { ChaosProxy } from './chaos-proxy.js';
import { Fleet, VIAS, percentile, postMessages } from './fleet.js';
import { childEnv, ensureBuilt, mb, MB, rssBytes } from './proc.js';
import { envInt, faultSeed, fullSize } from './prng.js';
import { report } from './report.js';

const SEED = faultSeed();
const FAST = envInt('RTCHAT_SLOW_FAST_CLIENTS', fullSize() ? 5 : 2);
const CALM = envInt('RTCHAT_SLOW_CALM_MESSAGES', 200);
const WARMUP = 50;
/** Upper bound of the frozen phase; it ends early once both slow streams are cut. */
const MAX_FROZEN = envInt('RTCHAT_SLOW_MAX_MESSAGES', 4000);
/** Messages sent at full speed first: 12 MB, past the kernel's and the server's buffers. */
const FILL = envInt('RTCHAT_SLOW_FILL_MESSAGES', 1000);
/** 4,000 code points of 3 UTF-8 bytes: 12 KB per message, the largest text the protocol allows. */
const TEXT = '\u20ac'.repeat(4000);
/**
 * The server's slow-reader time and heartbeat, shortened from 10 s and 15 s (`serve --slow-reader-ms`,
 * `--heartbeat-ms`) so that the cut comes within seconds; the rule is the same.
 */
const SLOW_READER_MS = 2000;
const HEARTBEAT_MS = 1000;

async function connectionGauge(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^rtchat_connections\{transport="(\w+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

describe('slow consumer', () => {
  let server: ServeProcess;
  let proxy: ChaosProxy;
  let fast: Fleet | undefined;
  let slow: Fleet | undefined;

  beforeAll(async () => {
    ensureBuilt();
    const periods = ['--slow-reader-ms', String(SLOW_READER_MS), '--heartbeat-ms', String(HEARTBEAT_MS)];
    server = await spawnServe(['--memory', '--log-level', 'error', ...periods], { env: childEnv() });
    proxy = await ChaosProxy.start({
      targetPort: Number(new URL(server.url).port),
      seed: SEED,
      faults: { cut: 0, stall: 0, late: 0, split: 0, lifetimeCut: 0 },
    });
  }, 150_000);

  afterAll(async () => {
    await fast?.stop();
    await slow?.stop();
    await stopIfStarted(proxy, (p) => p.close());
    await stopIfStarted(server, (s) => s.stop());
  });

  it('cuts the frozen readers, stays bounded, and they resume complete', async () => {
    const clientOptions = {
      backoff: { minMs: 50, maxMs: 500 },
      connectTimeoutMs: 3000,
      pingIntervalMs: 60_000,
      pollTimeoutS: 10,
    };
    fast = new Fleet({ urlFor: () => server.url, room: 'slow', perTransport: FAST, client: clientOptions });
    // The slow clients' own dead-peer watchdog must not beat the server to the cut.
    slow = new Fleet({
      urlFor: () => proxy.url,
      room: 'slow',
      perTransport: 1,
      nickPrefix: 'slow-',
      client: { ...clientOptions, heartbeatMs: 120_000 },
    });
    for (const p of slow.probes) p.recordLatency = false;
    await fast.start();
    await slow.start();
    const post = (count: number, tag: string): Promise<string[]> =>
      postMessages({ url: server.url, room: 'slow', count, perTick: 20, tickMs: 5, text: TEXT, tag });

    // Warm-up (JIT, buffers), not measured; then calm: every reader keeps up.
    await post(WARMUP, 'warm');
    await fast.waitComplete(WARMUP, 30_000);
    for (const p of fast.probes) p.latencies.length = 0;
    await post(CALM - WARMUP, 'calm');
    await fast.waitComplete(CALM, 30_000);
    await slow.waitComplete(CALM, 30_000);
    const calmLatency = fast.probes.flatMap((p) => p.latencies);
    for (const p of fast.probes) p.latencies.length = 0;
    const gaugeBefore = await connectionGauge(server.url);

    // Frozen: the slow readers stop reading; the stream goes on.
    proxy.freeze();
    const rssStart = rssBytes(server.pid);
    let rssPeak = rssStart;
    let total = CALM;
    let cutAt: number | undefined;
    // Fill the frozen readers' buffers at full speed, then trickle: the server
    // closes a reader that stays full for its slow-reader time (SLOW_READER_MS,
    // checked on every HEARTBEAT_MS heartbeat), busy room or quiet.
    const frozenAt = Date.now();
    while (total < CALM + MAX_FROZEN && Date.now() - frozenAt < 90_000) {
      const filling = total < CALM + FILL;
      await post(filling ? 40 : 5, `frozen${total}`);
      total += filling ? 40 : 5;
      if (!filling) await new Promise((r) => setTimeout(r, 250));
      rssPeak = Math.max(rssPeak, rssBytes(server.pid));
      const g = await connectionGauge(server.url);
      if (cutAt === undefined && (g.ws ?? 0) < (gaugeBefore.ws ?? 0) && (g.sse ?? 0) < (gaugeBefore.sse ?? 0))
        cutAt = total;
      // A little more after the cut, so the latency with the slow readers gone is in the figure too.
      if (cutAt !== undefined && total >= cutAt + 100) break;
    }
    const frozenMs = Date.now() - frozenAt;
    await fast.waitComplete(total, 60_000);
    const frozenLatency = fast.probes.flatMap((p) => p.latencies);
    const rssFrozenEnd = rssBytes(server.pid);

    proxy.thaw();
    await slow.waitComplete(total, 90_000);
    const all = [...fast.probes, ...slow.probes];
    const problems = all.map((p) => p.problem(total)).filter((x) => x !== undefined);
    const slowWs = slow.probes.find((p) => p.via === 'ws')!;
    const slowSse = slow.probes.find((p) => p.via === 'sse')!;
    const p99 = (xs: number[]): string => `${percentile(xs, 99)} ms (p50 ${percentile(xs, 50)} ms, n=${xs.length})`;
    console.log(
      `[slow] fast readers' delivery latency p99: all keeping up ${p99(calmLatency)}` +
        `; with frozen readers ${p99(frozenLatency)}`,
    );
    console.log(
      `[slow] server RSS at freeze ${mb(rssStart)}, peak ${mb(rssPeak)}, end of frozen phase ${mb(rssFrozenEnd)}` +
        `; slow streams cut after ${cutAt ?? 'never'} messages, ${frozenMs} ms frozen`,
    );
    console.log(
      `[slow] slow ws drops: ${slowWs.dropReasons.join(' | ')}; slow sse drops: ${slowSse.dropReasons.join(' | ')}`,
    );
    for (const via of VIAS) {
      const s = slow.summary(via);
      const f = fast.summary(via);
      report({
        scenario: 'slow-consumer',
        via,
        seed: SEED,
        injected:
          `reader frozen while ${total - CALM} × 12 KB messages flowed; cut after ${cutAt ?? 'never'}` +
          `; RSS ${mb(rssStart)} → peak ${mb(rssPeak)}` +
          `; fast p99 ${percentile(calmLatency, 99)} → ${percentile(frozenLatency, 99)} ms`,
        sent: total,
        checked: s.checked + f.checked,
        result: [...fast.probes, ...slow.probes]
          .filter((p) => p.via === via)
          .every((p) => p.problem(total) === undefined)
          ? 'pass'
          : 'FAIL',
        extra: `slow reconnects=${s.reconnects}`,
      });
    }
    expect(cutAt, 'the server cut the frozen ws and sse readers').toBeDefined();
    expect(problems).toEqual([]);
    expect(slowWs.reconnects).toBeGreaterThan(0);
    expect(slowSse.reconnects).toBeGreaterThan(0);
    expect(rssPeak - rssStart).toBeLessThan(200 * MB);
    await waitFor(() => proxy.openConnections > 0, { what: 'the slow clients to be connected again' });
  }, 240_000);
});
