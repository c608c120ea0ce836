#!/usr/bin/env node
// The soak behind `npm run soak`: N connections, a third each WebSocket, SSE
// and long polling, each with its own session and nick, held idle in one room,
// then a broadcast that every client must get once and in order. It starts
// its own rtchat process(es) (and, with --nodes K > 1, one redis-server), and
// stops only those, by PID. Loopback only. Needs `npm run build` (dist/bench).
//
//   npm run soak -- --conns 3000
//   npm run soak -- --conns 19000
//   npm run soak -- --conns 50000 --nodes 3 --interval 1000
//   npm run soak -- --help
//
// Exit code 0 when every client was ready and got every message once and in
// order; 1 otherwise; 2 for bad arguments. --json FILE writes the result.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'bench', 'soak');
if (!existsSync(path.join(dist, 'run.js'))) {
  process.stderr.write('bench/soak.js: dist/bench/soak is missing; run `npm run build` first\n');
  process.exit(2);
}
const { parseSoakArgs, SoakUsageError, SOAK_USAGE } = await import(path.join(dist, 'options.js'));
const { runSoak } = await import(path.join(dist, 'run.js'));
const { formatSoak } = await import(path.join(dist, 'report.js'));

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${SOAK_USAGE}\n`);
  process.exit(0);
}
let options;
try {
  options = parseSoakArgs(argv);
} catch (err) {
  if (!(err instanceof SoakUsageError)) throw err;
  process.stderr.write(`soak: ${err.message}\n${SOAK_USAGE}\n`);
  process.exit(2);
}
// An interrupted soak still stops what it started (the exit handlers kill by PID).
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

const result = await runSoak(options, (line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${formatSoak(result)}\n`);
if (options.json) writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(result.ok ? 0 : 1);
