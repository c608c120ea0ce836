/**
 * Display width in terminal columns, by `string-width` (the same package and
 * version Ink lays text out with, so both agree on every row): wide CJK and
 * emoji take 2 columns, combining marks and zero-width joiners 0.
 */
import stringWidth from 'string-width';
import { graphemes } from './graphemes.js';

export function displayWidth(s: string): number {
  return stringWidth(s);
}

export interface Cell {
  /** One grapheme cluster. */
  text: string;
  /** Its columns: 0, 1 or 2. */
  width: number;
}

/** `s` as grapheme clusters with their widths. */
export function cells(s: string): Cell[] {
  return graphemes(s).map((text) => ({ text, width: stringWidth(text) }));
}

/**
 * `s` cut to at most `width` columns, never inside a cluster; a cut string
 * ends with `ellipsis` (default '…'), which counts towards the width.
 */
export function truncateWidth(s: string, width: number, ellipsis = '…'): string {
  if (stringWidth(s) <= width) return s;
  const room = width - stringWidth(ellipsis);
  if (room < 0) return '';
  let used = 0;
  let out = '';
  for (const c of cells(s)) {
    if (used + c.width > room) break;
    used += c.width;
    out += c.text;
  }
  return out + ellipsis;
}
