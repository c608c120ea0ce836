/** The bench table as text; `--json` prints the BenchReport itself. */
import type { BenchReport, BenchRow } from './types.js';

const COLUMNS = [
  'transport',
  'clients',
  'rate/s',
  'deliv/s',
  'lost',
  'order',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'p99.9 ms',
  'max ms',
  'cpu s/M',
  'rss MB',
  'idle KB/conn',
  'gen cpu',
] as const;

function fixed(n: number | undefined, digits: number): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function rowCells(row: BenchRow): string[] {
  const l = row.load;
  const s = row.server;
  const gen = `${Math.round(l.generator.cpu * 100)}%${l.generator.bottleneck ? '!' : ''}`;
  return [
    row.flavor,
    String(row.clients),
    String(row.rate),
    thousands(l.deliveredPerSec),
    String(l.lost),
    String(l.outOfOrder),
    fixed(l.latency.p50, 2),
    fixed(l.latency.p90, 2),
    fixed(l.latency.p99, 2),
    fixed(l.latency.p999, 2),
    fixed(l.latency.max, 2),
    fixed(s.cpuPerMillion, 1),
    s.rss === undefined ? '-' : fixed(s.rss / 2 ** 20, 0),
    s.idleBytesPerConn === undefined ? '-' : fixed(s.idleBytesPerConn / 1024, 1) + (s.idleGc ? '' : '*'),
    gen,
  ];
}

/** Left-aligns the first column and right-aligns the figures. */
export function formatTable(header: readonly string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const notes: string[] = [];
  if (report.rows.some((r) => r.load.generator.bottleneck)) {
    notes.push(
      '! the load generator was the bottleneck (its CPU near a full core or its event loop lagging)' +
        ': the server may do better than shown',
    );
  }
  if (report.rows.some((r) => r.server.idleBytesPerConn !== undefined && !r.server.idleGc)) {
    notes.push('* idle memory without a forced GC (remote server): an upper bound');
  }
  const lossy = report.rows.filter((r) => r.load.lost > 0 || r.load.outOfOrder > 0);
  for (const r of lossy) notes.push(`${r.flavor}: ${r.load.lost} deliveries lost, ${r.load.outOfOrder} out of order`);
  for (const r of report.rows) {
    if (r.load.subscribersLost > 0)
      notes.push(
        `${r.flavor}: ${r.load.subscribersLost} subscribers dropped (${r.load.subscriberError ?? 'no detail'})`,
      );
  }
  for (const r of report.rows) {
    const errs = Object.entries(r.load.publishErrors);
    if (errs.length > 0) notes.push(`${r.flavor}: publish errors ${errs.map(([k, v]) => `${k}×${v}`).join(', ')}`);
  }
  return [
    `server ${report.server}; node ${report.node}; ${report.cpus} CPUs (${report.cpuModel})`,
    formatTable(COLUMNS, report.rows.map(rowCells)),
    ...notes,
  ].join('\n');
}
