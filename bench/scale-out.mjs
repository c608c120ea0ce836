#!/usr/bin/env node
// Scale-out: delivered rate and latency with 1 node against 2 nodes sharing one
// Redis, under the same load. Each node is its own process (the built server,
// rate limit lifted); redis-server is a child on a free port.
//
//   npm run build && node bench/scale-out.mjs [--subs 100] [--rate 200] [--seconds 8]
//
// Load: `--subs` WebSocket subscribers in one room, spread evenly over the
// nodes, and `--rate` messages/s sent over WebSocket, round-robin over the
// nodes. Every message carries its send time; a subscriber's latency is
// receipt minus send (one clock: this process). Every socket joins as a real
// client does, with its own session and a nick. Prints a Markdown table.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const SUBS = opt('subs', 100);
const RATE = opt('rate', 200);
const SECONDS = opt('seconds', 8);

const children = new Set();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function spawnChild(cmd, argv, readyRe) {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const m = readyRe.exec(out);
      if (m) resolve({ child, match: m });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (c) => (out += c));
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`${cmd} not ready: ${out}`)), 20_000).unref();
  });
}

async function startRedis(dir) {
  const port = await freePort();
  const argv = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--dir',
    dir,
  ];
  const { child } = await spawnChild('redis-server', argv, /Ready to accept connections/);
  return { url: `redis://127.0.0.1:${port}`, child };
}

const NODE_SCRIPT = `
const { startServer } = await import(process.env.RTCHAT_DIST + '/server/server.js');
const { RedisStore } = await import(process.env.RTCHAT_DIST + '/server/stores/redis/redis-store.js');
const { pino } = await import('pino');
const server = await startServer({ host: '127.0.0.1', port: 0, store: new RedisStore({ url: process.env.RTCHAT_REDIS }),
  logger: pino({ level: 'silent' }), rateLimit: { burst: 1e9, perSecond: 1e9 } });
console.log('listening ' + server.url);
`;

async function startNode(redisUrl) {
  const env = { ...process.env, RTCHAT_DIST: join(root, 'dist'), RTCHAT_REDIS: redisUrl };
  const child = spawn(process.execPath, ['--input-type=module', '-e', NODE_SCRIPT], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.setEncoding('utf8').on('data', (c) => (out += c));
    child.on('exit', (code) => reject(new Error(`node exited ${code}: ${out}`)));
  });
  return { url, child };
}

function openSocket(base, nick) {
  const session = randomBytes(18).toString('base64url');
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?session=${session}&nick=${nick}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(nodeCount) {
  const dir = mkdtempSync(join(os.tmpdir(), 'rtchat-bench-redis-'));
  const redis = await startRedis(dir);
  const nodes = await Promise.all(Array.from({ length: nodeCount }, () => startNode(redis.url)));
  const room = `bench-${nodeCount}`;
  const latencies = [];
  let delivered = 0;
  let measuring = false;
  const subs = await Promise.all(Array.from({ length: SUBS }, (_, i) => openSocket(nodes[i % nodeCount].url, `s${i}`)));
  await Promise.all(
    subs.map(
      (ws) =>
        new Promise((resolve) => {
          ws.on('message', (data) => {
            const ev = JSON.parse(data.toString());
            if (ev.type === 'hello') resolve();
            if (ev.type !== 'message' || !measuring) return;
            delivered++;
            latencies.push(performance.now() - Number(ev.text));
          });
          ws.send(JSON.stringify({ type: 'join', room }));
        }),
    ),
  );
  const senders = await Promise.all(nodes.map((n, i) => openSocket(n.url, `p${i}`)));
  let sent = 0;
  const perTick = RATE / 100;
  let owed = 0;
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      // Catch up on ticks the timer missed, so the offered rate holds.
      const due = ((performance.now() - started) / 10) * perTick;
      owed = due - sent;
      for (; owed >= 1; owed--) {
        const ws = senders[sent % senders.length];
        ws.send(JSON.stringify({ type: 'send', room, cid: `b${sent}`, text: String(performance.now()) }));
        sent++;
      }
      if (performance.now() - started >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  // Drain: wait until every subscriber had the chance to get every message (bounded).
  const expected = sent * SUBS;
  const drainUntil = performance.now() + 10_000;
  while (delivered < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  const elapsed = (performance.now() - started) / 1000;
  measuring = false;
  for (const ws of [...subs, ...senders]) ws.terminate();
  for (const n of nodes) n.child.kill('SIGTERM');
  redis.child.kill('SIGTERM');
  await Promise.all(
    [...nodes.map((n) => n.child), redis.child].map(
      (c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    nodes: nodeCount,
    sent,
    delivered,
    complete: delivered === expected,
    rate: delivered / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const rows = [];
for (const n of [1, 2]) rows.push(await run(n));
const load = os.loadavg()[0].toFixed(1);
console.log(
  `\n${SUBS} WebSocket subscribers, ${RATE} msg/s offered for ${SECONDS} s, one room` +
    `; ${os.cpus().length} CPUs, load ${load}\n`,
);
console.log('| nodes | sent | delivered | all delivered | delivered/s | p50 ms | p99 ms |');
console.log('| ---: | ---: | ---: | :---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.nodes} | ${r.sent} | ${r.delivered} | ${r.complete ? 'yes' : 'no'}` +
      ` | ${Math.round(r.rate)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
  );
}
process.exit(0);
