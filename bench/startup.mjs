#!/usr/bin/env node
// CLI start-up: how long `rtchat --version`, `rtchat --help` and `rtchat send`
// (to a real local server) take, next to a bare `node -e 0`.
//
//   npm run build && node bench/startup.mjs [--runs 30] [--write]
//
// Uses hyperfine when it is installed, else its own loop (median and p90 of
// wall time over the runs, after 3 warm-ups). With /usr/bin/time present it
// also reports CPU time (user + sys) per run, which a busy shared machine
// distorts far less than wall time. `--write` puts the table into
// docs/benchmarks.md under "## CLI start-up", leaving other sections alone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 30;
const write = args.includes('--write');

if (!existsSync(join(root, 'dist/cli/main.js')) || !existsSync(join(root, 'dist/server/server.js'))) {
  console.error('startup: run `npm run build` first');
  process.exit(1);
}

const { startServer } = await import(join(root, 'dist/server/server.js'));
const { pino } = await import('pino');
const server = await startServer({ host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
const bin = join(root, 'bin/rtchat.js');
const node = process.execPath;

const cases = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: 'rtchat --version', argv: [node, bin, '--version'] },
  { name: 'rtchat --help', argv: [node, bin, '--help'] },
  { name: 'rtchat send (local server)', argv: [node, bin, 'send', '--server', server.url, '--room', 'bench', 'hello'] },
];

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const CPU_RE = /^RTCHAT_CPU ([\d.]+) ([\d.]+)$/m;

function runOnce(argv) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const full = hasTime ? [TIME, '-f', 'RTCHAT_CPU %U %S', ...argv] : argv;
    // Async spawn: the server lives in this process and must keep answering.
    const child = spawn(full[0], full.slice(1), {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${argv.join(' ')}: exit ${code}: ${err}`));
      const m = CPU_RE.exec(err);
      resolve({ wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined });
    });
  });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function measure(argv) {
  for (let i = 0; i < 3; i++) await runOnce(argv);
  const times = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const r = await runOnce(argv);
    times.push(r.wall);
    if (r.cpu !== undefined) cpus.push(r.cpu);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return {
    median: quantile(times, 0.5),
    p90: quantile(times, 0.9),
    cpu: cpus.length ? quantile(cpus, 0.5) : undefined,
  };
}

function hyperfine(argv) {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = join(os.tmpdir(), `rtchat-startup-${process.pid}.json`);
  const r = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, quoted], {
    stdio: 'ignore',
  });
  if (r.status !== 0) return undefined;
  const result = JSON.parse(readFileSync(out, 'utf8')).results[0];
  const times = [...result.times].sort((a, b) => a - b).map((t) => t * 1000);
  return { median: result.median * 1000, p90: quantile(times, 0.9) };
}

// hyperfine runs synchronously, which would starve the in-process server for `send`.
const hasHyperfine = spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
const rows = [];
try {
  for (const c of cases) {
    const r = (hasHyperfine && !c.name.includes('send') && hyperfine(c.argv)) || (await measure(c.argv));
    rows.push({ ...c, ...r });
    const cpu = r.cpu === undefined ? '' : `, cpu ${r.cpu.toFixed(0)} ms`;
    console.error(`${c.name}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms${cpu}`);
  }
} finally {
  await server.close();
}

const base = rows[0];
const ratio = (a, b) => (a !== undefined && b ? (a / b).toFixed(2) : '–');
const table = [
  '| command | wall median ms | wall p90 ms | × bare node (wall) | CPU median ms | × bare node (CPU) |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| \`${r.name}\` | ${r.median.toFixed(1)} | ${r.p90.toFixed(1)} | ${ratio(r.median, base.median)}` +
      ` | ${r.cpu === undefined ? '–' : r.cpu.toFixed(0)} | ${ratio(r.cpu, base.cpu)} |`,
  ),
].join('\n');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const section = [
  '## CLI start-up',
  '',
  `Measured by \`node bench/startup.mjs\` (${hasHyperfine ? 'hyperfine' : 'own loop'}, ${runs} runs after 3 warm-ups,` +
    ` wall time per process) on ${os.cpus().length} × ${cpu}, Node ${process.versions.node},` +
    ` load average ${os.loadavg()[0].toFixed(1)} at the start.`,
  '',
  table,
  '',
  '`--version` is answered by `bin/rtchat.js` before yargs loads. `send` and `--help` pay for',
  "loading yargs, most of it in its help formatter's dependency string-width (Unicode tables and",
  'an `Intl.Segmenter` built at import); `send` itself adds only node:http and never loads ink,',
  'react, ws, eventsource or undici (checked by `test/cli/lazy-loading.test.ts`). On a busy',
  'shared machine CPU time is the steadier figure.',
  '',
].join('\n');
console.log(section);

if (write) {
  const file = join(root, 'docs/benchmarks.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /^## CLI start-up\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  const next = re.test(old) ? old.replace(re, section + '\n') : old.trimEnd() + '\n\n' + section;
  writeFileSync(file, next);
  console.error(`startup: wrote ${file}`);
}
