/**
 * Server crash: the real binary on SQLite is killed with SIGKILL in the middle
 * of a stream from mixed senders on all three transports, and started again on
 * the same data dir and port. Every message acked before the crash is still
 * there, every client resumes and ends with seq 1..total exactly once, in
 * order, and nothing is stored twice (sends in flight at the crash are
 * retried with the same cid).
 *
 * Replay: RTCHAT_FAULT_SEED=<seed> npx vitest run test/faults/crash.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeTempDir, removeDir, waitFor } from '../helpers/index.js';
import { Fleet, VIAS, logProblem, readBack } from './fleet.js';
import { ensureBuilt } from './proc.js';
import { Prng, envInt, faultSeed, fullSize } from './prng.js';
import { report } from './report.js';
import { startServeChild, type ServeChild } from './serve-child.js';

const SEED = faultSeed();
const PER_TRANSPORT = envInt('RTCHAT_CRASH_CLIENTS', fullSize() ? 10 : 6);
const TOTAL = envInt('RTCHAT_CRASH_MESSAGES', fullSize() ? 2000 : 1000);
const CRASHES = envInt('RTCHAT_CRASH_KILLS', 2);

describe(`server crash (seed ${SEED})`, () => {
  let dir: string;
  let port: number;
  let server: ServeChild | undefined;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    ensureBuilt();
    console.log(
      `[crash] seed=${SEED} clients=${PER_TRANSPORT}x3 messages=${TOTAL}` +
        ` kills=${CRASHES} (replay: RTCHAT_FAULT_SEED=${SEED})`,
    );
    dir = await makeTempDir('rtchat-crash-');
    port = await freePort();
  }, 150_000);

  afterAll(async () => {
    await fleet?.stop();
    await server?.stop();
    if (dir) await removeDir(dir);
  });

  it('kill -9 mid-stream and restart on the same data: acked messages kept, every client complete', async () => {
    const rng = new Prng(SEED).fork(2_000_000);
    const start = (): Promise<ServeChild> => startServeChild({ port, args: ['--data', dir] });
    server = await start();
    fleet = new Fleet({
      urlFor: () => `http://127.0.0.1:${port}`,
      room: 'crash',
      perTransport: PER_TRANSPORT,
      client: {
        backoff: { minMs: 50, maxMs: 500 },
        connectTimeoutMs: 2000,
        heartbeatMs: 2000,
        pollTimeoutS: 5,
        pingIntervalMs: 60_000,
      },
    });
    await fleet.start();

    const ackedBeforeKill: string[] = [];
    const slice = Math.floor(TOTAL / (CRASHES + 1));
    let sentSoFar = 0;
    for (let k = 0; k < CRASHES; k++) {
      await fleet.sendMixed({ total: slice, rng, perTick: 10, tickMs: 10 });
      sentSoFar += slice;
      // Mid-stream: some of this slice acked, some not yet.
      const target = sentSoFar - Math.floor(slice / 2);
      await waitFor(() => fleet!.acked() >= target, { timeoutMs: 30_000, what: `${target} acks before kill ${k + 1}` });
      server.kill('SIGKILL');
      await server.exited;
      for (const [cid, acked] of fleet.allSentCids()) if (acked) ackedBeforeKill.push(cid);
      // Sends go on while the server is down; they wait in the outboxes.
      await fleet.sendMixed({ total: Math.floor(slice / 4), rng, perTick: 10, tickMs: 5 });
      sentSoFar += Math.floor(slice / 4);
      server = await start();
    }
    await fleet.sendMixed({ total: TOTAL - sentSoFar, rng, perTick: 10, tickMs: 10 });
    await fleet.waitAcked(60_000);
    await fleet.waitComplete(TOTAL, 60_000);

    const log = await readBack(server.url, 'crash');
    const stored = new Set(log.map((m) => m.cid));
    const lostAcked = ackedBeforeKill.filter((cid) => !stored.has(cid));
    for (const via of VIAS) {
      const s = fleet.summary(via);
      report({
        scenario: 'crash',
        via,
        seed: SEED,
        injected:
          `${CRASHES}× kill -9 mid-stream + restart on the same SQLite dir and port` +
          `; ${new Set(ackedBeforeKill).size} acked before a kill (all transports)`,
        sent: s.sent,
        checked: s.checked,
        result:
          fleet.probes.filter((p) => p.via === via).every((p) => p.problem(TOTAL) === undefined) &&
          lostAcked.length === 0
            ? 'pass'
            : 'FAIL',
        extra: `clients=${s.clients} reconnects=${s.reconnects} resets=${s.resets}`,
      });
    }
    expect(ackedBeforeKill.length).toBeGreaterThan(0);
    expect(lostAcked).toEqual([]);
    expect(fleet.problems(TOTAL)).toEqual([]);
    expect(log.length).toBe(TOTAL);
    expect(logProblem(log, fleet.allSentCids().keys())).toBeUndefined();
  }, 240_000);
});
