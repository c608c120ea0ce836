import stringWidth from 'string-width';
import { escapeTerminal } from '../protocol/escape.js';

/**
 * A plain, left-aligned text table for `rooms` and `who`. Cells are escaped,
 * and columns are padded by display width (`string-width`: a CJK character
 * or an emoji takes two columns, a combining accent none), so wide nicks
 * line up with the rest.
 */
export function formatTable(header: string[], rows: string[][], options: { color?: boolean } = {}): string {
  const cells = rows.map((r) => r.map((c) => escapeTerminal(c)));
  const widths = header.map((h, i) => Math.max(stringWidth(h), ...cells.map((r) => stringWidth(r[i] ?? ''))));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(c)))))
      .join('  ')
      .trimEnd() + '\n';
  const head = line(header);
  return (options.color ? `\x1b[1m${head.slice(0, -1)}\x1b[22m\n` : head) + cells.map(line).join('');
}

/** `12s`, `5m`, `3h`, `2d`: how long ago, for people. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
