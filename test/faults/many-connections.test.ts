/**
 * Many connections: a third WebSockets, a third SSE streams, a third held long
 * polls on one server (a child process), all in one room, each with its own
 * session and a nick, as real members. One broadcast must reach every one of
 * them; the run reports the time from the POST until the last one has it
 * (reported, never asserted).
 *
 * Size: RTCHAT_MANY_PER_TRANSPORT (default 500; the 1,000 with
 * RTCHAT_FAULTS_FULL=1). Needs about 2 file descriptors per connection
 * in each of the two processes; under a low `ulimit -n` the test shrinks to fit
 * (and says so).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, spawnServe, stopIfStarted, waitFor, withTimeout } from '../helpers/index.js';
import { VIAS } from './fleet.js';
import { pool } from './fuzz-fire.js';
import { leanPoll, leanSse, leanWs, type LeanReceiver } from './lean-clients.js';
import { childEnv, ensureBuilt, mb, openFds, rssBytes } from './proc.js';
import { envInt, fullSize } from './prng.js';
import { report } from './report.js';

const PER_TRANSPORT = envInt('RTCHAT_MANY_PER_TRANSPORT', fullSize() ? 1000 : 500);

function fdLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || 1024;
  } catch {
    return 1024;
  }
}

/** Message events the server has written, all transports (rtchat_messages_out_total). */
async function messagesOut(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^rtchat_messages_out_total\{transport="\w+"\} (\d+)/gm)) n += Number(m[1]);
  return n;
}

async function gauge(url: string, via: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^rtchat_connections\\{transport="${via}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe('many connections', () => {
  let server: ServeProcess;
  const receivers: LeanReceiver[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await spawnServe(['--memory', '--log-level', 'error'], { env: childEnv() });
  }, 150_000);

  afterAll(async () => {
    for (const r of receivers) r.close();
    await stopIfStarted(server, (s) => s.stop());
  });

  it('one broadcast reaches every connection on the three transports', async () => {
    // Each process holds one fd per connection plus its own: fit under `ulimit -n` rather than fail on EMFILE.
    const limit = fdLimit();
    const perTransport = Math.min(PER_TRANSPORT, Math.floor((limit - 300) / 3));
    if (perTransport < PER_TRANSPORT)
      console.log(`[many] ulimit -n is ${limit}: ${perTransport} per transport instead of ${PER_TRANSPORT}`);
    expect(perTransport, `ulimit -n ${limit} is too low`).toBeGreaterThan(50);
    const total = perTransport * 3;
    const room = 'crowd';
    const rssStart = rssBytes(server.pid);
    const opened = Date.now();
    const makers = { ws: leanWs, sse: leanSse, longpoll: leanPoll } as const;
    const byVia = new Map<string, LeanReceiver[]>();
    for (const via of VIAS) {
      const list: LeanReceiver[] = [];
      byVia.set(via, list);
      await pool(
        Array.from({ length: perTransport }, (_, i) => i),
        100,
        async () => {
          const r = makers[via](server.url, room, 1);
          list.push(r);
          receivers.push(r);
          await withTimeout(r.ready, 30_000, `${via} receiver ${list.length} to be ready`);
        },
      );
    }
    await waitFor(async () => (await gauge(server.url, 'longpoll')) >= perTransport, {
      timeoutMs: 30_000,
      what: 'every long poll held',
    });
    const openMs = Date.now() - opened;
    const fds = openFds(server.pid);
    const rssOpen = rssBytes(server.pid);

    const t0 = Date.now();
    const res = await fetch(`${server.url}/rooms/${room}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nick: 'announcer', text: 'to everyone' }),
    });
    expect(res.status).toBe(201);
    // Server side: when had it written the message to every connection (as /metrics tells)?
    const written = waitFor(async () => (await messagesOut(server.url)) >= total, {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: 'the server to write to all',
    }).then(() => Date.now() - t0);
    // Awaited below; a failure among the receivers first must not leave it unhandled.
    written.catch(() => undefined);
    const lastPer: Record<string, number> = {};
    let first = Number.POSITIVE_INFINITY;
    for (const via of VIAS) {
      const list = byVia.get(via)!;
      let got = 0;
      const times = await withTimeout(
        Promise.all(list.map((r) => r.arrived.then((t) => (got++, t)))),
        60_000,
        `every ${via} receiver to get the broadcast`,
      ).catch((err: unknown) => {
        throw new Error(
          `${err instanceof Error ? err.message : String(err)} (${got} of ${list.length} ${via} receivers have it)`,
        );
      });
      lastPer[via] = Math.max(...times) - t0;
      first = Math.min(first, ...times);
    }
    const last = Math.max(...Object.values(lastPer));
    const writtenMs = await written;
    console.log(
      `[many] ${total} connections opened in ${openMs} ms; ` +
        `server fds ${fds}, RSS ${mb(rssStart)} → ${mb(rssOpen)}; ` +
        `broadcast written to all by the server within ${writtenMs} ms` +
        `; reached the first client after ${first - t0} ms, the last after ${last} ms` +
        ` (ws ${lastPer.ws} ms, sse ${lastPer.sse} ms, longpoll ${lastPer.longpoll} ms)`,
    );
    for (const via of VIAS) {
      report({
        scenario: 'many-connections',
        via,
        injected: `${perTransport} ${via} connections of ${total} on one server; server RSS ${mb(rssOpen)}`,
        sent: 1,
        checked: perTransport,
        result: 'pass',
        extra: `last receiver after ${lastPer[via]} ms`,
      });
    }
    expect(server.child.exitCode).toBeNull();
  }, 180_000);
});
