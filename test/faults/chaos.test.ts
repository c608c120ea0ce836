/**
 * Chaos: real ChatClients on all three transports, through a proxy that cuts,
 * stalls and dribbles their connections, while mixed senders send. At the end
 * every client holds seq 1..total exactly once and in order, every send was
 * acked exactly once, and the stored log holds every message once.
 *
 * Replay: RTCHAT_FAULT_SEED=<seed> npx vitest run test/faults/chaos.test.ts
 * Runs at the size by default (10 clients per transport, 2,000
 * messages); RTCHAT_CHAOS_CLIENTS and RTCHAT_CHAOS_MESSAGES change it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopIfStarted, type TestServer } from '../helpers/index.js';
import { ChaosProxy } from './chaos-proxy.js';
import { Fleet, VIAS, logProblem, readBack } from './fleet.js';
import { Prng, envInt, faultSeed } from './prng.js';
import { report } from './report.js';

const SEED = faultSeed();
const PER_TRANSPORT = envInt('RTCHAT_CHAOS_CLIENTS', 10);
const TOTAL = envInt('RTCHAT_CHAOS_MESSAGES', 2000);

describe(`chaos proxy (seed ${SEED})`, () => {
  let server: TestServer;
  let proxy: ChaosProxy;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    console.log(
      `[chaos] seed=${SEED} clients=${PER_TRANSPORT}x3 messages=${TOTAL} (replay: RTCHAT_FAULT_SEED=${SEED})`,
    );
    server = await startTestServer({ heartbeatMs: 1000 });
    proxy = await ChaosProxy.start({
      targetPort: server.port,
      seed: SEED,
      faults: { cut: 0.01, stall: 0.005, late: 0.1, split: 0.1, lifetimeCut: 0.15 },
      stallMs: [1000, 3000],
      lifetimeMs: [300, 4000],
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    await stopIfStarted(proxy, (p) => p.close());
    await stopIfStarted(server, (s) => s.close());
  });

  it('every client gets seq 1..total exactly once in order; every send acked once; nothing stored twice', async () => {
    const rng = new Prng(SEED).fork(1_000_000);
    fleet = new Fleet({
      urlFor: () => proxy.url,
      room: 'chaos',
      perTransport: PER_TRANSPORT,
      client: {
        backoff: { minMs: 20, maxMs: 500 },
        connectTimeoutMs: 2000,
        heartbeatMs: 1000,
        pollTimeoutS: 2,
        pingIntervalMs: 60_000,
      },
    });
    await fleet.start();
    await fleet.sendMixed({ total: TOTAL, rng, perTick: 10, tickMs: 10 });
    // Faults stay on until every send is acked: acks have to cross the chaos too.
    await fleet.waitAcked(90_000);
    const faults = { ...proxy.stats };
    proxy.faultsOn = false;
    await fleet.waitComplete(TOTAL, 60_000);

    const log = await readBack(server.url, 'chaos');
    for (const via of VIAS) {
      const s = fleet.summary(via);
      report({
        scenario: 'chaos',
        via,
        seed: SEED,
        injected:
          `cuts=${faults.cuts} stalls=${faults.stalls} late=${faults.late} splits=${faults.splits}` +
          ` over ${faults.connections} conns (all transports)`,
        sent: s.sent,
        checked: s.checked,
        result: fleet.probes.filter((p) => p.via === via).every((p) => p.problem(TOTAL) === undefined)
          ? 'pass'
          : 'FAIL',
        extra: `clients=${s.clients} reconnects=${s.reconnects} gaps=${s.gaps} resets=${s.resets}`,
      });
    }
    expect(faults.cuts + faults.stalls).toBeGreaterThan(0);
    expect(fleet.problems(TOTAL)).toEqual([]);
    expect(log.length).toBe(TOTAL);
    expect(logProblem(log, fleet.allSentCids().keys())).toBeUndefined();
  }, 240_000);
});
