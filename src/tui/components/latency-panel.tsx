/** /latency: RTT, delivery latency, own round trip and clock offset. */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { LatencySnapshot, Stats } from '../../client/types.js';
import { formatMs } from '../format.js';
import { Panel } from './panel.js';

function Row({ name, children }: { name: string; children: ReactNode }) {
  return (
    <Box>
      <Box width={22} flexShrink={0}>
        <Text bold>{name}</Text>
      </Box>
      <Text wrap="truncate-end">{children}</Text>
    </Box>
  );
}

function Figures({ stats }: { stats: Stats }) {
  return (
    <>
      last {formatMs(stats.last)} ms · avg {formatMs(stats.avg)} ms · p95 {formatMs(stats.p95)} ms
      <Text dimColor> ({stats.samples} samples)</Text>
    </>
  );
}

export function LatencyPanel({ latency, rows }: { latency: LatencySnapshot; rows: number }) {
  const offset = latency.offsetMs;
  return (
    <Panel title="Latency" rows={rows}>
      <Row name="ping round trip">
        <Figures stats={latency.rtt} />
      </Row>
      <Row name="message delivery">
        <Figures stats={latency.delivery} />
      </Row>
      <Row name="own message echo">
        <Figures stats={latency.ownRoundTrip} />
      </Row>
      <Row name="clock offset">
        {offset === undefined
          ? 'unknown yet'
          : `server ${offset >= 0 ? 'ahead' : 'behind'} by ${formatMs(Math.abs(offset))} ms`}
      </Row>
    </Panel>
  );
}
