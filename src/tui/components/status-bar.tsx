/**
 * One line that says how the connection is doing right now: state (coloured),
 * transport, room, nick, RTT, delivery latency, members online and server,
 * fitted to the width by dropping the least useful fields (status-fields.ts).
 */
import { Box, Text } from 'ink';
import type { ConnectionState, LatencySnapshot } from '../../client/types.js';
import type { Via } from '../../protocol/index.js';
import { useCountdown } from '../hooks/use-countdown.js';
import { usePalette, type ColorName } from '../palette.js';
import { fitStatus, statusFields, type FieldKey } from '../status-fields.js';

export interface StatusBarProps {
  connection: ConnectionState;
  /** The transport last in use; shown while offline too. */
  via: Via;
  server: string;
  room: string;
  nick: string;
  latency: LatencySnapshot;
  /** Members online, when presence is known. */
  online: number | undefined;
  /** Columns to fit in. */
  width: number;
}

const STATE_COLORS: Record<ConnectionState['name'], ColorName> = {
  online: 'green',
  connecting: 'yellow',
  reconnecting: 'yellow',
  offline: 'red',
};

const DIM: ReadonlySet<FieldKey> = new Set(['rttMore', 'server']);

export function StatusBar(props: StatusBarProps) {
  const palette = usePalette();
  const at = props.connection.name === 'reconnecting' ? props.connection.at : undefined;
  const countdown = useCountdown(at);
  // One column of margin, as for every row the TUI draws.
  const fields = fitStatus(statusFields({ ...props, countdown }), Math.max(1, props.width - 1));
  const stateColor = palette.color(STATE_COLORS[props.connection.name]);
  return (
    <Box width={props.width} flexShrink={0}>
      <Text wrap="truncate-end">
        {fields.map((f) => {
          const glue = f.key === 'reason' ? null : f.glue.trim() === '│' ? <Text dimColor>{f.glue}</Text> : f.glue;
          const body =
            f.key === 'state' || f.key === 'reason' ? (
              <Text color={stateColor} bold>
                {f.key === 'reason' ? f.glue : ''}
                {f.text}
              </Text>
            ) : f.key === 'via' ? (
              <Text bold>{f.text}</Text>
            ) : f.key === 'room' ? (
              <Text color={palette.color('cyan')}>{f.text}</Text>
            ) : (
              <Text dimColor={DIM.has(f.key)}>{f.text}</Text>
            );
          return (
            <Text key={f.key}>
              {glue}
              {body}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}
