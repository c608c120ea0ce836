/**
 * Figures of a fault run: one line per scenario × transport on stdout, and,
 * when RTCHAT_FAULT_REPORT names a file, one JSON line appended there (that
 * is how docs/reliability.md gets its table from a real run).
 */
import { appendFileSync } from 'node:fs';

export interface ReportRow {
  scenario: string;
  via: string;
  seed?: number;
  injected: string;
  sent: number;
  checked: number;
  result: 'pass' | 'FAIL';
  extra?: string;
}

export function report(row: ReportRow): void {
  const extra = row.extra ? `; ${row.extra}` : '';
  const seed = row.seed !== undefined ? `; seed ${row.seed}` : '';
  const line =
    `[fault-report] ${row.scenario} ${row.via}: ${row.result}; ` +
    `injected ${row.injected}; sent ${row.sent}; checked ${row.checked}${extra}${seed}`;
  console.log(line);
  const file = process.env.RTCHAT_FAULT_REPORT;
  if (file !== undefined && file !== '')
    appendFileSync(file, JSON.stringify({ ...row, at: new Date().toISOString() }) + '\n');
}
