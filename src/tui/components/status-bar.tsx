/**
 * One line that says how the connection is doing right now: state (coloured),
 * transport, server, room, nick, RTT, delivery latency and members online.
 */
import { Box, Text } from 'ink';
import type { ConnectionState, LatencySnapshot } from '../../client/types.js';
import type { Via } from '../../protocol/index.js';
import { escapeTerminal } from '../../protocol/index.js';
import { formatMs } from '../format.js';
import { useCountdown } from '../hooks/use-countdown.js';

export interface StatusBarProps {
  connection: ConnectionState;
  /** The transport last in use; shown while offline too. */
  via: Via;
  server: string;
  room: string;
  nick: string;
  latency: LatencySnapshot;
  /** Members online, when presence is known. */
  members: number | undefined;
  /** Columns to fit in; the line is truncated, never wrapped. */
  width?: number;
}

function StateLabel({ connection }: { connection: ConnectionState }) {
  const at = connection.name === 'reconnecting' ? connection.at : undefined;
  const left = useCountdown(at);
  switch (connection.name) {
    case 'online':
      return <Text color="green" bold>● online</Text>;
    case 'connecting':
      return <Text color="yellow" bold>◌ connecting</Text>;
    case 'reconnecting':
      return (
        <Text color="yellow" bold>
          ◌ reconnecting #{connection.attempt} in {left ?? 0}s
        </Text>
      );
    case 'offline':
      return <Text color="red" bold>✕ offline: {escapeTerminal(connection.reason)}</Text>;
  }
}

const Sep = () => <Text dimColor> │ </Text>;

export function StatusBar(props: StatusBarProps) {
  const { connection, latency } = props;
  const rtt = latency.rtt;
  return (
    <Box width={props.width} flexShrink={0}>
      <Text wrap="truncate-end">
        <StateLabel connection={connection} />
        <Sep />
        <Text bold>{escapeTerminal(props.via)}</Text>
        <Sep />
        <Text color="cyan">#{escapeTerminal(props.room)}</Text>
        <Text> as {escapeTerminal(props.nick)}</Text>
        <Sep />
        <Text>
          rtt {formatMs(rtt.last)} ms<Text dimColor> avg {formatMs(rtt.avg)} p95 {formatMs(rtt.p95)}</Text>
        </Text>
        <Sep />
        <Text>delivery {formatMs(latency.delivery.last)} ms</Text>
        <Sep />
        <Text>{props.members === undefined ? '?' : props.members} online</Text>
        <Sep />
        <Text dimColor>{escapeTerminal(props.server)}</Text>
      </Text>
    </Box>
  );
}
