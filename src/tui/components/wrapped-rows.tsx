/**
 * A history line laid out in rows: the first row starts with its prefix (the
 * time, and the nick for a message); every further row, from a line break in
 * the text or from wrapping, starts with the continuation gutter instead. No
 * text can start a row at the left edge, so none can pass for a message or a
 * client line of its own ("08:05:41   admin: …", "08:05:41 -- …").
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Segment } from '../format.js';
import { sliceSegments } from '../format.js';
import { wrapRows } from '../text/wrap.js';

/** Columns of "HH:MM:SS " and the two-column mark after it. */
export const GUTTER_WIDTH = 11;
/** Starts every continuation row: blank under the time, a dotted bar under the mark. */
export const CONTINUATION = ' '.repeat(9) + '┆ ';
/** Below this many columns left after its prefix, the text starts on the next row. */
const MIN_FIRST_ROW = 8;

export interface WrappedRowsProps {
  prefix: ReactNode;
  /** Display width of the prefix, columns. */
  prefixWidth: number;
  /** Display text (escaped), split into plain and highlighted parts. */
  segments: readonly Segment[];
  columns: number;
  /** Draws one part of the text. */
  renderSegment(segment: Segment, key: number): ReactNode;
  /** Style of the gutter; dim by default. */
  gutterColor?: string | undefined;
}

export function WrappedRows(p: WrappedRowsProps) {
  const text = p.segments.map((s) => s.text).join('');
  // One column of margin: a terminal that draws a character wider than
  // string-width says must not wrap a row onto the next line by itself.
  const rest = Math.max(1, p.columns - 1 - GUTTER_WIDTH);
  const first = p.columns - 1 - p.prefixWidth;
  const ownRow = first < MIN_FIRST_ROW;
  const rows = wrapRows(text, { first: ownRow ? rest : first, rest });
  const draw = (start: number, end: number) =>
    sliceSegments(p.segments, start, end).map((s, i) => p.renderSegment(s, i));
  const gutter = (
    <Text dimColor color={p.gutterColor}>
      {CONTINUATION}
    </Text>
  );
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {p.prefix}
        {ownRow || rows[0] === undefined ? null : draw(rows[0].start, rows[0].end)}
      </Text>
      {rows.slice(ownRow ? 0 : 1).map((r, i) => (
        <Text key={i} wrap="truncate-end">
          {gutter}
          {draw(r.start, r.end)}
        </Text>
      ))}
    </Box>
  );
}
