/**
 * A line the client itself writes (joins, leaves, reconnects, gaps, errors).
 * Its text may quote the network, so it is escaped as a whole.
 */
import { Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import { formatTime } from '../format.js';
import type { SystemLevel } from '../state/types.js';

const COLORS: Record<SystemLevel, string | undefined> = { info: undefined, warn: 'yellow', error: 'red' };

export interface SystemLineProps {
  time: number;
  level: SystemLevel;
  text: string;
  truncate?: boolean;
}

export function SystemLine(p: SystemLineProps) {
  return (
    <Text wrap={p.truncate ? 'truncate-end' : 'wrap'} color={COLORS[p.level]} dimColor={p.level === 'info'}>
      {formatTime(p.time)} -- {escapeTerminal(p.text)}
    </Text>
  );
}
