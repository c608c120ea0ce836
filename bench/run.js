#!/usr/bin/env node
// The comparison run behind `npm run bench`: rtchat per transport against
// Socket.IO 4 and the raw limits, same machine, same Node, same workload and
// payload, one fresh server process per measurement, the load generator in
// its own process. Needs `npm run build` (it uses dist/bench).
//
//   node bench/run.js [--quick] [--runs N] [--only f1,f2] [--workloads fanout,maxrate,idle]
//                     [--out file.json] [--profile DIR] [--no-pin]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSummary, ratios } from './summary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'bench');
if (!existsSync(path.join(dist, 'runner.js'))) {
  process.stderr.write('bench/run.js: dist/bench is missing; run `npm run build` first\n');
  process.exit(2);
}
const { GeneratorHandle } = await import(path.join(dist, 'generator-process.js'));
const { benchFlavor, benchRoom, connectAll } = await import(path.join(dist, 'runner.js'));
const { spawnServer } = await import(path.join(dist, 'server-process.js'));
const { formatTable } = await import(path.join(dist, 'report.js'));

// ---- options -------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('quick');
const ALL = ['rtchat-ws', 'socketio-ws', 'raw-ws', 'rtchat-longpoll', 'socketio-polling', 'rtchat-sse', 'raw-sse'];
const flavors = value('only') ? value('only').split(',') : ALL;
const workloads = (value('workloads') ?? 'fanout,maxrate,idle').split(',');
const cfg = quick
  ? {
      runs: Number(value('runs') ?? 1),
      fanout: { clients: 50, rate: 20, duration: 1 },
      maxrate: { clients: 20, steps: [50], stepDuration: 1 },
      idle: { clients: 100 },
      // One server per transport for all workloads: start-up would be most of a quick run.
      shareServer: true,
    }
  : {
      runs: Number(value('runs') ?? 3),
      fanout: { clients: 1000, rate: 50, duration: 4 },
      // Doubling steps, then one step halfway between the last pass and the first failure.
      maxrate: { clients: 500, steps: [10, 25, 50, 100, 200, 400, 800, 1600], stepDuration: 2, bisect: true },
      idle: { clients: 5000 },
      shareServer: false,
    };
const out =
  value('out') ??
  (quick ? path.join(os.tmpdir(), 'rtchat-bench-quick.json') : path.join(root, 'bench', 'results', 'full.json'));
// --profile DIR: every server writes a V8 CPU profile there (open it in Chrome DevTools).
const profileDir = value('profile') ? path.resolve(value('profile')) : undefined;
// Two CPUs or more: the server on CPU 0, the generator on CPU 1, so neither steals the other's core.
const pin = os.cpus().length >= 2 && !flag('no-pin');

const PEERS = {
  'rtchat-ws': { script: path.join(dist, 'server-host.js') },
  'rtchat-sse': { script: path.join(dist, 'server-host.js') },
  'rtchat-longpoll': { script: path.join(dist, 'server-host.js') },
  'socketio-ws': { script: path.join(root, 'bench/peers/socketio.mjs'), args: ['--transport', 'websocket'] },
  'socketio-polling': { script: path.join(root, 'bench/peers/socketio.mjs'), args: ['--transport', 'polling'] },
  'raw-ws': { script: path.join(root, 'bench/peers/raw-ws.mjs') },
  'raw-sse': { script: path.join(root, 'bench/peers/raw-sse.mjs') },
};

const log = (s) => process.stderr.write(`${s}\n`);
const spawn = (flavor) =>
  spawnServer({
    ...PEERS[flavor],
    label: flavor,
    env: { ...process.env, NODE_ENV: 'production' },
    ...(pin ? { cpu: 0 } : {}),
    ...(profileDir
      ? {
          execArgv: [
            '--cpu-prof',
            '--cpu-prof-dir',
            profileDir,
            '--cpu-prof-name',
            `${flavor}-${Date.now()}.cpuprofile`,
          ],
        }
      : {}),
  });
/** A fresh server per measurement, or (quick) the flavor's shared one, whose close is then a no-op. */
let shared;
const startServer = async (flavor) => {
  if (!cfg.shareServer) return spawn(flavor);
  if (shared?.flavor !== flavor) {
    await shared?.server.close();
    shared = { flavor, server: await spawn(flavor) };
  }
  return {
    ...shared.server,
    url: shared.server.url,
    pid: shared.server.pid,
    sample: () => shared.server.sample(),
    memory: (gc) => shared.server.memory(gc),
    close: async () => undefined,
  };
};

// ---- workloads -------------------------------------------------------------
async function fanout(generator, flavor) {
  const server = await startServer(flavor);
  try {
    const row = await benchFlavor({ generator, server, flavor, ...cfg.fanout });
    if (row.load.subscribersLost > 0)
      log(`  ${flavor}: ${row.load.subscribersLost} subscribers dropped (${row.load.subscriberError})`);
    return row;
  } finally {
    await server.close();
  }
}

async function idle(generator, flavor) {
  const server = await startServer(flavor);
  try {
    return await benchFlavor({
      generator,
      server,
      flavor,
      clients: cfg.idle.clients,
      rate: 0,
      duration: 0,
      settleMs: quick ? 300 : 1000,
    });
  } finally {
    await server.close();
  }
}

/** Steps the rate up on one set of subscribers; stops at the first step that fails. */
/**
 * Steps the rate up on one set of subscribers. Two results: `best`, the
 * issue's criterion (nothing lost and p99 < 100 ms), and `bestThroughput`,
 * where the server still keeps up (nothing lost, the backlog gone soon after
 * publishing stops) whatever the tail latency: on a machine shared with other
 * work, scheduling stalls alone can push p99 past 100 ms.
 */
async function maxrate(generator, flavor) {
  const server = await startServer(flavor);
  const { clients, steps, stepDuration } = cfg.maxrate;
  const room = benchRoom();
  const tried = [];
  let best;
  let bestThroughput;
  let firstStrictFail;
  try {
    await connectAll({ generator, server, flavor, clients }, room);
    const step = async (rate) => {
      const cpu0 = await server.sample();
      const load = await generator.load({ url: server.url, room, rate, duration: stepDuration });
      const cpu1 = await server.sample();
      const keepsUp =
        load.lost === 0 &&
        load.outOfOrder === 0 &&
        load.acked === load.published &&
        load.elapsed <= stepDuration * 1.5 + 0.5;
      const ok = keepsUp && load.latency.p99 < 100;
      const cpu = cpu0 && cpu1 ? cpu1.cpuSeconds - cpu0.cpuSeconds : undefined;
      const s = {
        rate,
        offeredDeliveries: rate * clients,
        deliveredPerSec: load.deliveredPerSec,
        p50: load.latency.p50,
        p99: load.latency.p99,
        lost: load.lost,
        elapsed: load.elapsed,
        ok,
        keepsUp,
        serverCpu: cpu === undefined ? undefined : cpu / load.elapsed,
        serverCpuPerMillion: cpu !== undefined && load.delivered > 0 ? cpu / (load.delivered / 1e6) : undefined,
        generatorCpu: load.generator.cpu,
        generatorBottleneck: load.generator.bottleneck,
      };
      tried.push(s);
      log(
        `  ${flavor} rate ${rate}/s × ${clients}: ${Math.round(load.deliveredPerSec)} deliv/s` +
          ` p99 ${load.latency.p99} ms` +
          ` lost ${load.lost} ${ok ? 'ok' : keepsUp ? 'keeps up (p99 over)' : 'FAIL'}`,
      );
      if (load.subscribersLost > 0)
        log(`  ${flavor}: ${load.subscribersLost} subscribers dropped (${load.subscriberError})`);
      if (ok && (!best || rate > best.rate)) best = s;
      if (!ok && firstStrictFail === undefined) firstStrictFail = rate;
      if (keepsUp && (!bestThroughput || rate > bestThroughput.rate)) bestThroughput = s;
      return keepsUp;
    };
    for (const rate of steps) if (!(await step(rate))) break;
    if (cfg.maxrate.bisect && best && firstStrictFail !== undefined) {
      const mid = Math.round((best.rate + firstStrictFail) / 2);
      if (mid > best.rate && mid < firstStrictFail) await step(mid);
    }
  } finally {
    await generator.disconnect().catch(() => undefined);
    await server.close();
  }
  return {
    flavor,
    clients,
    best,
    bestThroughput,
    steps: tried,
    sustainedDeliveries: best ? best.offeredDeliveries : 0,
    throughputDeliveries: bestThroughput ? bestThroughput.offeredDeliveries : 0,
  };
}

const median = (rows, key) => {
  const sorted = [...rows].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

// ---- main -------------------------------------------------------------------
const t0 = Date.now();
const generator = await GeneratorHandle.start(pin ? { cpu: 1 } : {});
const raw = { fanout: {}, maxrate: {}, idle: {} };
try {
  if (!quick) {
    // Untimed warm-up of every generator code path: the first flavor measured must not pay for JIT.
    for (const flavor of flavors) {
      log(`warm-up ${flavor}`);
      const server = await spawn(flavor);
      try {
        await benchFlavor({ generator, server, flavor, clients: 50, rate: 50, duration: 1, settleMs: 0 });
      } finally {
        await server.close();
      }
    }
  }
  for (let run = 1; run <= cfg.runs; run++) {
    // Quick: each transport's workloads back to back on its one server; full: workload by workload,
    // so that noise from other load on the machine spreads over all transports alike.
    const order = cfg.shareServer
      ? flavors.flatMap((f) => workloads.map((w) => [w, f]))
      : workloads.flatMap((w) => flavors.map((f) => [w, f]));
    for (const [w, flavor] of order) {
      log(`run ${run}/${cfg.runs} ${w} ${flavor}`);
      const fn = w === 'fanout' ? fanout : w === 'maxrate' ? maxrate : idle;
      const result = await fn(generator, flavor);
      (raw[w][flavor] ??= []).push(result);
      // Partial results survive an interrupted run.
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(`${out}.partial`, `${JSON.stringify(raw)}\n`);
    }
  }
} finally {
  await shared?.server.close();
  await generator.close();
}

const res = {
  machine: {
    nproc: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    pinned: pin,
  },
  quick,
  config: cfg,
  started: new Date(t0).toISOString(),
  seconds: (Date.now() - t0) / 1000,
  fanout: {},
  maxrate: {},
  idle: {},
  runs: raw,
};
for (const f of Object.keys(raw.fanout)) res.fanout[f] = median(raw.fanout[f], (r) => r.load.latency.p99);
for (const f of Object.keys(raw.maxrate)) {
  res.maxrate[f] = median(raw.maxrate[f], (r) => r.sustainedDeliveries);
  res.maxrate[f].medianThroughputDeliveries = median(
    raw.maxrate[f],
    (r) => r.throughputDeliveries,
  ).throughputDeliveries;
}
for (const f of Object.keys(raw.idle)) res.idle[f] = median(raw.idle[f], (r) => r.server.idleBytesPerConn ?? 0);

res.ratios = ratios(res);

const print = (s) => process.stdout.write(`${s}\n`);
printSummary(res, { print, formatTable });
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(res, null, 2)}\n`);
print(`\nJSON: ${out}`);
