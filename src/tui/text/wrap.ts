/**
 * Word wrapping by display width, for the rows of a message. Rows are given as
 * offsets into the text so that callers can keep styles (mention highlights)
 * that span a row break.
 */
import { cells } from './width.js';

export interface Row {
  /** Offset of the row's first code unit in the text. */
  start: number;
  /** Offset just past its last code unit (a break's space or newline is outside every row). */
  end: number;
}

export interface WrapOptions {
  /** Columns for the first row. */
  first: number;
  /** Columns for every following row. */
  rest: number;
}

/**
 * Splits `text` at each '\n' and wraps every line to the widths given: at the
 * last space that fits, else between two clusters (a word longer than a row).
 * Every row fits its width, except that a row always holds at least one
 * cluster. An empty line is one empty row.
 */
export function wrapRows(text: string, widths: WrapOptions): Row[] {
  const rows: Row[] = [];
  const limit = (): number => Math.max(1, rows.length === 0 ? widths.first : widths.rest);
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    let start = lineStart;
    let used = 0;
    // The last space seen in the current row: where it may break.
    let space: number | undefined;
    let pos = lineStart;
    for (const c of cells(line)) {
      const at = pos;
      pos += c.text.length;
      if (used + c.width > limit() && at > start) {
        if (c.text === ' ') {
          rows.push({ start, end: at });
          start = pos;
          used = 0;
          space = undefined;
          continue;
        }
        if (space !== undefined) {
          rows.push({ start, end: space });
          start = space + 1;
        } else {
          rows.push({ start, end: at });
          start = at;
        }
        space = undefined;
        used = widthOf(text.slice(start, at));
      }
      if (c.text === ' ') space = at;
      used += c.width;
    }
    rows.push({ start, end: lineStart + line.length });
  }
  return rows;
}

function widthOf(s: string): number {
  let w = 0;
  for (const c of cells(s)) w += c.width;
  return w;
}
