#!/usr/bin/env node
// Renders a bench/run.js JSON result as the Markdown tables of docs/benchmarks.md.
//   node bench/to-markdown.js bench/results/full.json
import { readFileSync } from 'node:fs';

const res = JSON.parse(readFileSync(process.argv[2] ?? 'bench/results/full.json', 'utf8'));
const n = (x, d = 1) => (x === undefined || x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const int = (x) => (x === undefined || x === null || !Number.isFinite(x) ? '-' : Math.round(x).toLocaleString('en-US'));
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
const out = [];
const c = res.config;
out.push(
  `Run of ${res.started}: ${res.machine.nproc} CPUs (${res.machine.cpuModel}), node ${res.machine.node}` +
    `, ${res.machine.platform}` +
    `, pinned ${res.machine.pinned}, ${c.runs} runs (median), ${Math.round(res.seconds)} s.`,
);
if (Object.keys(res.fanout).length) {
  out.push(
    `\n**Fan-out latency** — ${c.fanout.clients} subscribers, ${c.fanout.rate} broadcasts/s` +
      ` for ${c.fanout.duration} s` +
      ` (offered ${int(c.fanout.clients * c.fanout.rate)} deliveries/s); median run by p99.\n`,
  );
  out.push(
    table(
      [
        'transport',
        'delivered/s',
        'lost',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'p99.9 ms',
        'max ms',
        'server CPU s per 1M deliveries',
        'server RSS MB',
        'generator CPU',
      ],
      Object.values(res.fanout).map((r) => [
        r.flavor,
        int(r.load.deliveredPerSec),
        String(r.load.lost),
        n(r.load.latency.p50),
        n(r.load.latency.p90),
        n(r.load.latency.p99),
        n(r.load.latency.p999),
        n(r.load.latency.max),
        n(r.server.cpuPerMillion),
        n(r.server.rss / 2 ** 20, 0),
        `${Math.round(r.load.generator.cpu * 100)}%${r.load.generator.bottleneck ? ' (!)' : ''}`,
      ]),
    ),
  );
}
if (Object.keys(res.maxrate).length) {
  out.push(
    `\n**Maximum sustained rate** — ${c.maxrate.clients} subscribers,` +
      ` broadcast rate ${c.maxrate.steps.join(', ')}/s (+ one bisection step), ${c.maxrate.stepDuration} s per step.` +
      ` "Strict" is the issue's criterion (nothing lost, p99 < 100 ms);` +
      ` "keeps up" only asks that nothing is lost and the backlog is gone` +
      ` within ${c.maxrate.stepDuration * 0.5 + 0.5} s after publishing stops.` +
      ` Deliveries/s = rate × subscribers; median of the runs.\n`,
  );
  out.push(
    table(
      [
        'transport',
        'strict: rate/s',
        'strict: deliveries/s',
        'keeps up: deliveries/s',
        'runs (strict deliveries/s)',
        'server CPU s/1M at best strict step',
      ],
      Object.values(res.maxrate).map((r) => [
        r.flavor,
        int(r.best?.rate),
        int(r.sustainedDeliveries),
        int(r.medianThroughputDeliveries),
        (res.runs.maxrate[r.flavor] ?? []).map((x) => int(x.sustainedDeliveries)).join(' / '),
        n(r.best?.serverCpuPerMillion),
      ]),
    ),
  );
}
if (Object.keys(res.maxrate).length) {
  // Server CPU per delivery at each step, median over the runs that reached the step: the figure
  // least moved by other load on the machine (CPU time used, not wall time waited).
  const steps = c.maxrate.steps;
  const med = (xs) => {
    const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    return v.length ? v[Math.floor((v.length - 1) / 2)] : undefined;
  };
  const rows = Object.keys(res.maxrate).map((f) => [
    f,
    ...steps.map((rate) => {
      const xs = (res.runs.maxrate[f] ?? []).map(
        (run) => run.steps.find((st) => st.rate === rate)?.serverCpuPerMillion,
      );
      const m = med(xs);
      return m === undefined ? '-' : `${n(m)} (${xs.filter((x) => x !== undefined).length})`;
    }),
  ]);
  out.push(
    `\n**Server CPU seconds per million deliveries, by broadcast rate**` +
      ` (${c.maxrate.clients} subscribers; median over the runs that reached the step, run count in brackets)\n`,
  );
  out.push(table(['transport', ...steps.map((r) => `${r}/s`)], rows));
}
if (Object.keys(res.idle).length) {
  out.push(
    `\n**Idle memory** — ${c.idle.clients} connections, server GC forced before both samples;` +
      ` (after − before) / connections; median run by RSS.\n`,
  );
  out.push(
    table(
      ['transport', 'KB per connection (RSS)', 'KB per connection (V8 heap)'],
      Object.values(res.idle).map((r) => [
        r.flavor,
        n(r.server.idleBytesPerConn / 1024),
        n(r.server.idleHeapPerConn / 1024),
      ]),
    ),
  );
}
out.push('\n**Ratios** (same run)\n');
out.push(
  table(
    ['ratio', 'value'],
    Object.entries(res.ratios)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, String(v)]),
  ),
);
process.stdout.write(`${out.join('\n')}\n`);
