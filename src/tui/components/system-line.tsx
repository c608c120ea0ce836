/**
 * A line the client itself writes (joins, leaves, reconnects, gaps, errors).
 * Its text may quote the network, so it is escaped as a whole; in the history
 * it wraps into rows marked as its continuation, like a message.
 */
import { Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import { formatTime } from '../format.js';
import { usePalette, type ColorName } from '../palette.js';
import type { SystemLevel } from '../state/types.js';
import { WrappedRows } from './wrapped-rows.js';

const COLORS: Record<SystemLevel, ColorName | undefined> = { info: undefined, warn: 'yellow', error: 'red' };

export interface SystemLineProps {
  time: number;
  level: SystemLevel;
  text: string;
  columns: number;
  /** One row, cut at the edge (the scrollback window). */
  truncate?: boolean | undefined;
}

export function SystemLine(p: SystemLineProps) {
  const palette = usePalette();
  const color = COLORS[p.level] === undefined ? undefined : palette.color(COLORS[p.level] as ColorName);
  const dim = p.level === 'info';
  const text = escapeTerminal(p.text);
  const prefix = `${formatTime(p.time)} -- `;
  if (p.truncate) {
    return (
      <Text wrap="truncate-end" color={color} dimColor={dim}>
        {prefix}
        {text}
      </Text>
    );
  }
  // Without colour a warning or an error still stands out: bold.
  const bold = !dim && !palette.enabled;
  return (
    <WrappedRows
      prefix={
        <Text color={color} dimColor={dim} bold={bold}>
          {prefix}
        </Text>
      }
      prefixWidth={12}
      segments={[{ text, mention: false }]}
      columns={p.columns}
      gutterColor={color}
      renderSegment={(s, key) => (
        <Text key={key} color={color} dimColor={dim} bold={bold}>
          {s.text}
        </Text>
      )}
    />
  );
}
