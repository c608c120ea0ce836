/** /who: the members online, their transport and since when. */
import { Box, Text } from 'ink';
import type { PresenceMember } from '../../protocol/index.js';
import { escapeTerminal } from '../../protocol/index.js';
import { formatTime, nickColor } from '../format.js';

export interface WhoPanelProps {
  room: string;
  members: PresenceMember[] | undefined;
  /** Rows at most; the rest is counted, not listed. */
  maxRows?: number;
}

export function WhoPanel({ room, members, maxRows = 10 }: WhoPanelProps) {
  const list = members ?? [];
  const shown = list.slice(0, maxRows);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold underline>
        #{escapeTerminal(room)}: {members === undefined ? 'presence not known yet' : `${list.length} online`}
      </Text>
      {shown.map((m, i) => (
        <Box key={`${m.nick}/${i}`}>
          <Box width={34} flexShrink={0}>
            <Text color={nickColor(m.nick)}>{escapeTerminal(m.nick)}</Text>
          </Box>
          <Box width={10} flexShrink={0}>
            <Text>{escapeTerminal(String(m.via))}</Text>
          </Box>
          <Text dimColor>since {formatTime(m.since)}</Text>
        </Box>
      ))}
      {list.length > shown.length ? <Text dimColor>… and {list.length - shown.length} more</Text> : null}
    </Box>
  );
}
