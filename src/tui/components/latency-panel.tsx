/** /latency: RTT, delivery latency, own round trip and clock offset. */
import { Box, Text } from 'ink';
import type { LatencySnapshot, Stats } from '../../client/types.js';
import { formatMs } from '../format.js';

function Row({ name, stats }: { name: string; stats: Stats }) {
  return (
    <Box>
      <Box width={22} flexShrink={0}>
        <Text bold>{name}</Text>
      </Box>
      <Text>
        last {formatMs(stats.last)} ms · avg {formatMs(stats.avg)} ms · p95 {formatMs(stats.p95)} ms
        <Text dimColor> ({stats.samples} samples)</Text>
      </Text>
    </Box>
  );
}

export function LatencyPanel({ latency }: { latency: LatencySnapshot }) {
  const offset = latency.offsetMs;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold underline>Latency</Text>
      <Row name="ping round trip" stats={latency.rtt} />
      <Row name="message delivery" stats={latency.delivery} />
      <Row name="own message echo" stats={latency.ownRoundTrip} />
      <Box>
        <Box width={22} flexShrink={0}>
          <Text bold>clock offset</Text>
        </Box>
        <Text>
          {offset === undefined ? 'unknown yet' : `server ${offset >= 0 ? 'ahead' : 'behind'} by ${formatMs(Math.abs(offset))} ms`}
        </Text>
      </Box>
    </Box>
  );
}
