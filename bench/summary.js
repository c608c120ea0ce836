// The end of a `npm run bench` run (bench/run.js): rtchat's ratios against
// its peers, all from the same run, and the tables printed to stdout.

/** rtchat against each peer from the run's medians; undefined where either side is missing. */
export function ratios(res) {
  const ratio = (a, b) => (a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 100) / 100 : undefined);
  const mr = (f) => res.maxrate[f]?.sustainedDeliveries;
  const mt = (f) => res.maxrate[f]?.medianThroughputDeliveries;
  const p99 = (f) => res.fanout[f]?.load.latency.p99;
  const kb = (f) => (res.idle[f]?.server.idleBytesPerConn ?? NaN) / 1024;
  return {
    'maxrate rtchat-ws / socketio-ws (target >= 3)': ratio(mr('rtchat-ws'), mr('socketio-ws')),
    'maxrate rtchat-ws / raw-ws (target >= 1)': ratio(mr('rtchat-ws'), mr('raw-ws')),
    'maxrate rtchat-longpoll / socketio-polling (target >= 3)': ratio(mr('rtchat-longpoll'), mr('socketio-polling')),
    'maxrate rtchat-sse / raw-sse': ratio(mr('rtchat-sse'), mr('raw-sse')),
    'keeps-up rate rtchat-ws / socketio-ws': ratio(mt('rtchat-ws'), mt('socketio-ws')),
    'keeps-up rate rtchat-ws / raw-ws': ratio(mt('rtchat-ws'), mt('raw-ws')),
    'keeps-up rate rtchat-longpoll / socketio-polling': ratio(mt('rtchat-longpoll'), mt('socketio-polling')),
    'keeps-up rate rtchat-sse / raw-sse': ratio(mt('rtchat-sse'), mt('raw-sse')),
    'fanout server CPU per delivery rtchat-ws / socketio-ws': ratio(
      res.fanout['rtchat-ws']?.server.cpuPerMillion,
      res.fanout['socketio-ws']?.server.cpuPerMillion,
    ),
    'fanout server CPU per delivery rtchat-ws / raw-ws': ratio(
      res.fanout['rtchat-ws']?.server.cpuPerMillion,
      res.fanout['raw-ws']?.server.cpuPerMillion,
    ),
    'fanout server CPU per delivery rtchat-longpoll / socketio-polling': ratio(
      res.fanout['rtchat-longpoll']?.server.cpuPerMillion,
      res.fanout['socketio-polling']?.server.cpuPerMillion,
    ),
    'fanout server CPU per delivery rtchat-sse / raw-sse': ratio(
      res.fanout['rtchat-sse']?.server.cpuPerMillion,
      res.fanout['raw-sse']?.server.cpuPerMillion,
    ),
    'fanout p99 rtchat-ws / socketio-ws (target <= 1)': ratio(p99('rtchat-ws'), p99('socketio-ws')),
    'fanout p99 rtchat-longpoll / socketio-polling (target <= 1)': ratio(
      p99('rtchat-longpoll'),
      p99('socketio-polling'),
    ),
    'fanout p99 rtchat-sse / socketio-ws (target <= 1)': ratio(p99('rtchat-sse'), p99('socketio-ws')),
    'idle KB/conn rtchat-ws / socketio-ws (target <= 1)': ratio(kb('rtchat-ws'), kb('socketio-ws')),
    'idle KB/conn rtchat-sse / socketio-ws (target <= 1)': ratio(kb('rtchat-sse'), kb('socketio-ws')),
    'idle KB/conn rtchat-longpoll / socketio-polling (target <= 1)': ratio(
      kb('rtchat-longpoll'),
      kb('socketio-polling'),
    ),
  };
}

/**
 * Prints the run's tables and ratios (`res.ratios`) with `print`; `formatTable` is
 * dist/bench/report.js's.
 */
export function printSummary(res, { print, formatTable }) {
  const n = (x, d = 1) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
  const int = (x) => (x === undefined || !Number.isFinite(x) ? '-' : Math.round(x).toLocaleString('en-US'));
  const m = res.machine;
  print(
    `machine: ${m.nproc} CPUs (${m.cpuModel}), node ${m.node}, pinned ${m.pinned}` +
      `; ${res.config.runs} run(s), median shown; ${Math.round(res.seconds)} s`,
  );
  if (Object.keys(res.fanout).length > 0) {
    const c = res.config.fanout;
    print(`\nfan-out latency: ${c.clients} subscribers, ${c.rate} broadcasts/s, ${c.duration} s`);
    print(
      formatTable(
        [
          'transport',
          'deliv/s',
          'lost',
          'order',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'p99.9 ms',
          'max ms',
          'srv cpu s/M',
          'srv rss MB',
          'gen cpu',
        ],
        Object.values(res.fanout).map((r) => [
          r.flavor,
          int(r.load.deliveredPerSec),
          String(r.load.lost),
          String(r.load.outOfOrder),
          n(r.load.latency.p50, 2),
          n(r.load.latency.p90, 2),
          n(r.load.latency.p99, 2),
          n(r.load.latency.p999, 2),
          n(r.load.latency.max, 2),
          n(r.server.cpuPerMillion),
          r.server.rss ? n(r.server.rss / 2 ** 20, 0) : '-',
          `${Math.round(r.load.generator.cpu * 100)}%${r.load.generator.bottleneck ? '!' : ''}`,
        ]),
      ),
    );
  }
  if (Object.keys(res.maxrate).length > 0) {
    const c = res.config.maxrate;
    print(
      `\nmaximum sustained rate: ${c.clients} subscribers, rate steps ${c.steps.join('/')} per s` +
        `${c.bisect ? ' (+1 bisection)' : ''}` +
        `, ${c.stepDuration} s each; pass = nothing lost, p99 < 100 ms`,
    );
    print(
      formatTable(
        [
          'transport',
          'best rate/s',
          'deliveries/s',
          'p99 ms',
          'srv cpu',
          'srv cpu s/M',
          'gen cpu',
          'keeps up to (deliv/s)',
          'first failing step',
        ],
        Object.values(res.maxrate).map((r) => {
          const fail = r.steps.find((s) => !s.ok);
          // (the "first failing step" is the criterion: lost > 0 or p99 >= 100 ms)
          return [
            r.flavor,
            int(r.best?.rate),
            int(r.sustainedDeliveries),
            n(r.best?.p99, 2),
            r.best?.serverCpu === undefined ? '-' : `${Math.round(r.best.serverCpu * 100)}%`,
            n(r.best?.serverCpuPerMillion),
            r.best ? `${Math.round(r.best.generatorCpu * 100)}%${r.best.generatorBottleneck ? '!' : ''}` : '-',
            int(r.medianThroughputDeliveries),
            fail ? `${fail.rate}/s: p99 ${n(fail.p99, 1)} ms, lost ${fail.lost}` : '(none failed)',
          ];
        }),
      ),
    );
  }
  if (Object.keys(res.idle).length > 0) {
    print(
      `\nidle memory: ${res.config.idle.clients} connections, after GC (server RSS and V8 heap delta per connection)`,
    );
    print(
      formatTable(
        ['transport', 'KB/conn (rss)', 'KB/conn (heap)'],
        Object.values(res.idle).map((r) => [
          r.flavor,
          n((r.server.idleBytesPerConn ?? NaN) / 1024),
          n((r.server.idleHeapPerConn ?? NaN) / 1024),
        ]),
      ),
    );
  }
  print('\nratios (same run):');
  for (const [k, v] of Object.entries(res.ratios)) if (v !== undefined) print(`  ${k}: ${v}`);
  print('("!" = the load generator was near a full core: that figure is a floor for the server)');
}
