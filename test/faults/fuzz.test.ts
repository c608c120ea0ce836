/**
 * Bad-input fuzz against the real binary (a child, so a crash is seen):
 * thousands of random and mutated HTTP requests and WebSocket frame series,
 * in batches. Between batches a ChatClient on each transport sends and must
 * receive; at the end the server is alive, its memory bounded, and the
 * valid clients hold every message once, in order.
 *
 * Replay: RTCHAT_FAULT_SEED=<seed> npx vitest run test/faults/fuzz.test.ts
 * Sizes: RTCHAT_FUZZ_HTTP (default 2000), RTCHAT_FUZZ_WS (default 800).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, spawnServe, stopIfStarted } from '../helpers/index.js';
import { Fleet, VIAS } from './fleet.js';
import { fireHttp, fireWs, pool, type Outcome } from './fuzz-fire.js';
import { httpInput, type HttpInput } from './fuzz-inputs.js';
import { wsInput, type WsInput } from './fuzz-ws-inputs.js';
import { childEnv, ensureBuilt, mb, MB, rssBytes } from './proc.js';
import { Prng, envInt, faultSeed, fullSize } from './prng.js';
import { report } from './report.js';

const SEED = faultSeed();
const N_HTTP = envInt('RTCHAT_FUZZ_HTTP', fullSize() ? 5000 : 2000);
const N_WS = envInt('RTCHAT_FUZZ_WS', fullSize() ? 2000 : 800);
const BATCHES = 8;

describe(`bad-input fuzz (seed ${SEED})`, () => {
  let server: ServeProcess;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    ensureBuilt();
    console.log(`[fuzz] seed=${SEED} http=${N_HTTP} ws=${N_WS} (replay: RTCHAT_FAULT_SEED=${SEED})`);
    server = await spawnServe(['--memory', '--log-level', 'error'], { env: childEnv() });
  }, 150_000);

  afterAll(async () => {
    await fleet?.stop();
    await stopIfStarted(server, (s) => s.stop());
  });

  it('never crashes, stays bounded in memory, and valid clients keep working', async () => {
    const port = Number(new URL(server.url).port);
    const rng = new Prng(SEED);
    const inputs: (HttpInput | WsInput)[] = [];
    for (let i = 0; i < N_HTTP; i++) inputs.push(httpInput(rng, 'fuzz'));
    for (let i = 0; i < N_WS; i++) inputs.push(wsInput(rng, 'fuzz'));
    // Shuffle, so that every batch mixes both kinds.
    for (let i = inputs.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [inputs[i], inputs[j]] = [inputs[j]!, inputs[i]!];
    }

    fleet = new Fleet({
      urlFor: () => server.url,
      room: 'calm',
      perTransport: 1,
      client: { backoff: { minMs: 20, maxMs: 300 }, connectTimeoutMs: 3000, pollTimeoutS: 5 },
    });
    await fleet.start();
    const rssStart = rssBytes(server.pid);
    let rssPeak = rssStart;
    const statuses = new Map<string, number>();
    const note = (kind: string, o: Outcome): void => {
      const outcome =
        o.closeCode !== undefined ? `close ${o.closeCode}` : (o.status ?? (o.serverClosed ? 'closed' : 'none'));
      const key = `${kind}:${outcome}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };

    let sent = 0;
    const per = Math.ceil(inputs.length / BATCHES);
    for (let b = 0; b < BATCHES; b++) {
      await pool(inputs.slice(b * per, (b + 1) * per), 32, async (input) => {
        const o = input.kind === 'http' ? await fireHttp(port, input, 500) : await fireWs(port, input, 500);
        note(input.kind, o);
      });
      expect(server.child.exitCode, `server exited: ${server.stderr()}`).toBeNull();
      rssPeak = Math.max(rssPeak, rssBytes(server.pid));
      // The valid clients: each sends one, all must receive all.
      for (const p of fleet.probes) p.send(`after batch ${b} from ${p.name}`);
      sent += fleet.probes.length;
      await fleet.waitComplete(sent, 20_000);
    }
    await fleet.waitAcked(10_000);
    const rssEnd = rssBytes(server.pid);
    const health = await fetch(`${server.url}/healthz`);
    const internal = [...statuses].filter(([k]) => /:5\d\d$/.test(k) && !k.endsWith(':503'));
    const histogram = [...statuses]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}=${n}`)
      .join(' ');
    console.log(`[fuzz] outcomes: ${histogram}`);
    console.log(`[fuzz] server RSS start ${mb(rssStart)} peak ${mb(rssPeak)} end ${mb(rssEnd)}`);
    for (const via of VIAS) {
      const s = fleet.summary(via);
      report({
        scenario: 'fuzz',
        via,
        seed: SEED,
        injected:
          `${N_HTTP} HTTP requests + ${N_WS} WS frame series (all transports)` +
          `; RSS ${mb(rssStart)} → peak ${mb(rssPeak)}`,
        sent: s.sent,
        checked: s.checked,
        result:
          fleet.probes.filter((p) => p.via === via).every((p) => p.problem(sent) === undefined) && internal.length === 0
            ? 'pass'
            : 'FAIL',
      });
    }
    expect(server.child.exitCode).toBeNull();
    expect(health.status).toBe(200);
    expect(internal, 'HTTP 5xx answers to bad input').toEqual([]);
    expect(fleet.problems(sent)).toEqual([]);
    expect(rssPeak - rssStart).toBeLessThan(200 * MB);
  }, 240_000);
});
