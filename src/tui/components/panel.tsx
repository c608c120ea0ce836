/**
 * The frame of a panel (/help, /who, /latency): a rounded border, a title, and
 * at most `rows` rows in all, so a panel never takes the conversation's place.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { formatCount } from '../format.js';
import { PANEL_CHROME } from '../layout.js';

export interface PanelProps {
  title: ReactNode;
  /** Rows for the whole panel, border included. */
  rows: number;
  children?: ReactNode;
}

export function Panel({ title, rows, children }: PanelProps) {
  if (rows < PANEL_CHROME) {
    return rows > 0 ? <Text wrap="truncate-end">{title}</Text> : null;
  }
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={rows} flexShrink={0} overflow="hidden">
      <Text bold underline wrap="truncate-end">
        {title}
      </Text>
      {children}
    </Box>
  );
}

/** "1–10 of 57 · PgUp/PgDn" when a list needs more than one page, else nothing. */
export function PageHint({ offset, shown, total }: { offset: number; shown: number; total: number }) {
  if (shown >= total) return null;
  const to = offset + shown;
  return (
    <Text dimColor wrap="truncate-end">
      {`${formatCount(offset + 1)}–${formatCount(to)} of ${formatCount(total)} · PgUp/PgDn`}
    </Text>
  );
}
