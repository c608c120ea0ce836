#!/usr/bin/env node
// Several rooms on one connection: what a subscriber reading room A plus two
// quiet rooms on one multi-room stream costs the server, against a subscriber
// reading A alone, same load, same run. Needs `npm run build` (dist/bench).
//
//   node bench/multi-room.mjs [--subs 500] [--rates 200,1000] [--seconds 4] [--runs 3]
//                             [--via sse,longpoll,ws] [--out file.json] [--no-pin] [--profile DIR]
//
// Per run, per transport, per mode (1 room, then 3; the order flips every
// run so drift on a shared machine spreads over both): a fresh server
// (dist/bench/server-host.js, pinned to CPU 0), `--subs` subscribers from the
// bench generator (pinned to CPU 1), every one a real client with its own
// session and nick, on `/rooms/A/events` or `/events?rooms=A,B,C` (SSE),
// `/rooms/A/messages` or `/messages?rooms=A,B,C` (long poll), one `join` or
// three on a socket (WebSocket, the control: no per-connection id line).
// B and C are shared by all subscribers and get no messages. Then each rate
// of messages/s to A for `--seconds`: server CPU (/proc) per delivery,
// delivery latency p50/p99 (send → parse), loss, server RSS after the load.
// Idle RSS per connection (GC forced) is sampled before the load.
// Prints Markdown tables (medians over runs, and multi/single per run).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'bench');
if (!existsSync(path.join(dist, 'runner.js'))) {
  process.stderr.write('bench/multi-room.mjs: dist/bench is missing; run `npm run build` first\n');
  process.exit(2);
}
const { GeneratorHandle } = await import(path.join(dist, 'generator-process.js'));
const { benchRoom } = await import(path.join(dist, 'runner.js'));
const { spawnServer } = await import(path.join(dist, 'server-process.js'));

const argv = process.argv.slice(2);
const value = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const SUBS = Number(value('subs', 500));
const RATES = value('rates', '200,1000').split(',').map(Number);
const SECONDS = Number(value('seconds', 4));
const RUNS = Number(value('runs', 3));
const VIA = value('via', 'sse,longpoll,ws').split(',');
const OUT = value('out', path.join(root, 'bench', 'results', 'multi-room.json'));
const pin = os.cpus().length >= 2 && !argv.includes('--no-pin');
// --profile DIR: every server writes a V8 CPU profile there, named after its transport and room count.
const PROFILE = value('profile') ? path.resolve(value('profile')) : undefined;
const FLAVOR = { sse: 'rtchat-sse', longpoll: 'rtchat-longpoll', ws: 'rtchat-ws' };
const EXTRA = 2;

const log = (s) => process.stderr.write(`${s}\n`);
const delay = (ms) => new Promise((r) => setTimeout(r, ms));
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One server, one set of subscribers, every rate: the rows of one (transport, rooms) cell of one run. */
async function measure(generator, via, rooms) {
  const server = await spawnServer({
    script: path.join(dist, 'server-host.js'),
    label: `${via}-${rooms}`,
    env: { ...process.env, NODE_ENV: 'production' },
    ...(pin ? { cpu: 0 } : {}),
    ...(PROFILE
      ? {
          execArgv: [
            '--cpu-prof',
            '--cpu-prof-dir',
            PROFILE,
            '--cpu-prof-name',
            `${via}-${rooms}-${Date.now()}.cpuprofile`,
          ],
        }
      : {}),
  });
  const room = benchRoom();
  const extraRooms = Array.from({ length: rooms - 1 }, () => benchRoom());
  try {
    const before = await server.memory(true);
    const c = await generator.connect({ flavor: FLAVOR[via], url: server.url, room, count: SUBS, extraRooms });
    if (c.failed > 0) throw new Error(`${via} ×${rooms}: ${c.failed} of ${SUBS} failed (${c.firstError})`);
    await delay(1000);
    const idle = await server.memory(true);
    // Untimed: JIT and the first presence rounds are paid before anything counts.
    await generator.load({ url: server.url, room, rate: 50, duration: 1 });
    const rows = [];
    for (const rate of RATES) {
      const cpu0 = await server.sample();
      const load = await generator.load({ url: server.url, room, rate, duration: SECONDS });
      const cpu1 = await server.sample();
      const cpu = cpu1.cpuSeconds - cpu0.cpuSeconds;
      const row = {
        via,
        rooms,
        rate,
        delivered: load.delivered,
        lost: load.lost,
        outOfOrder: load.outOfOrder,
        deliveredPerSec: load.deliveredPerSec,
        elapsed: load.elapsed,
        p50: load.latency.p50,
        p99: load.latency.p99,
        cpuSeconds: cpu,
        // Microseconds of server CPU per delivery.
        cpuUsPerDelivery: load.delivered > 0 ? (cpu * 1e6) / load.delivered : undefined,
        serverCores: cpu / load.elapsed,
        rssMB: cpu1.rss / 2 ** 20,
        idleKBPerConn: before && idle ? (idle.rss - before.rss) / SUBS / 1024 : undefined,
        generatorCpu: load.generator.cpu,
        generatorBottleneck: load.generator.bottleneck,
        subscribersLost: load.subscribersLost,
      };
      rows.push(row);
      log(
        `  ${via} ×${rooms} ${rate}/s: ${Math.round(row.deliveredPerSec)} deliv/s lost ${row.lost}` +
          ` p50 ${row.p50} p99 ${row.p99} ms, ${row.cpuUsPerDelivery?.toFixed(2)} µs CPU/delivery,` +
          ` server ${(row.serverCores * 100).toFixed(0)}% of a core, RSS ${row.rssMB.toFixed(0)} MB,` +
          ` gen ${(row.generatorCpu * 100).toFixed(0)}%${row.generatorBottleneck ? ' (!)' : ''}`,
      );
    }
    return rows;
  } finally {
    await generator.disconnect().catch(() => undefined);
    await server.close();
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length === 0 ? undefined : s[Math.floor((s.length - 1) / 2)];
};
const fmt = (x, d = 1) => (x === undefined ? '-' : x.toFixed(d));

const t0 = new Date();
const load0 = loadavg();
const generator = await GeneratorHandle.start(pin ? { cpu: 1 } : {});
const rows = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    for (const via of VIA) {
      const order = run % 2 === 1 ? [1, 1 + EXTRA] : [1 + EXTRA, 1];
      for (const rooms of order) {
        log(`run ${run}/${RUNS} ${via} rooms ${rooms} (load ${loadavg()})`);
        for (const r of await measure(generator, via, rooms)) rows.push({ run, ...r });
        mkdirSync(path.dirname(OUT), { recursive: true });
        writeFileSync(`${OUT}.partial`, `${JSON.stringify(rows)}\n`);
      }
    }
  }
} finally {
  await generator.close();
}

const print = (s) => process.stdout.write(`${s}\n`);
print(
  `Run of ${t0.toISOString()}: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version},` +
    ` pinned ${pin}, ${SUBS} subscribers, ${SECONDS} s per rate, ${RUNS} runs, load average ${load0} → ${loadavg()}.\n`,
);
print(
  '| transport | rooms per connection | msgs/s to A | delivered/s | lost | p50 ms | p99 ms |' +
    ' server µs CPU per delivery | server RSS MB | idle KB/conn |',
);
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const cell = (via, rooms, rate) => rows.filter((r) => r.via === via && r.rooms === rooms && r.rate === rate);
for (const via of VIA)
  for (const rate of RATES)
    for (const rooms of [1, 1 + EXTRA]) {
      const c = cell(via, rooms, rate);
      const m = (k) => median(c.map((r) => r[k]));
      print(
        `| ${via} | ${rooms} | ${rate} | ${Math.round(m('deliveredPerSec')).toLocaleString('en-US')} |` +
          ` ${c.reduce((a, r) => a + r.lost, 0)} | ${fmt(m('p50'))} | ${fmt(m('p99'))} |` +
          ` ${fmt(m('cpuUsPerDelivery'), 2)} | ${fmt(m('rssMB'), 0)} | ${fmt(m('idleKBPerConn'))} |`,
      );
    }
print('\n**multi / single** (3 rooms / 1 room, each run its own pair; median [min–max])\n');
print('| transport | msgs/s | CPU per delivery | p50 | p99 | RSS after load | idle KB/conn |');
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const ratios = {};
for (const via of VIA)
  for (const rate of RATES) {
    const per = (k) => {
      const xs = [];
      for (let run = 1; run <= RUNS; run++) {
        const s = cell(via, 1, rate).find((r) => r.run === run);
        const m = cell(via, 1 + EXTRA, rate).find((r) => r.run === run);
        if (s && m && s[k] > 0 && m[k] !== undefined) xs.push(m[k] / s[k]);
      }
      return xs;
    };
    const show = (xs) =>
      xs.length === 0 ? '-' : `${fmt(median(xs), 2)} [${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)}]`;
    const keys = ['cpuUsPerDelivery', 'p50', 'p99', 'rssMB', 'idleKBPerConn'];
    ratios[`${via}@${rate}`] = Object.fromEntries(keys.map((k) => [k, per(k)]));
    print(`| ${via} | ${rate} | ${keys.map((k) => show(per(k))).join(' | ')} |`);
  }
mkdirSync(path.dirname(OUT), { recursive: true });
const config = { subs: SUBS, rates: RATES, seconds: SECONDS, runs: RUNS, pinned: pin };
const result = { started: t0.toISOString(), load: [load0, loadavg()], ...config, rows, ratios };
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
print(`\nJSON: ${OUT}`);
