/**
 * The paste guard's question, in place of the input line: a paste of many
 * lines is not sent until the user says how (like irssi's paste_verify).
 */
import { Box, Text } from 'ink';
import { formatCount } from '../format.js';
import { usePalette } from '../palette.js';
import type { PasteOffer } from '../state/types.js';

export function PasteGuard({ paste }: { paste: PasteOffer }) {
  const palette = usePalette();
  const n = formatCount(paste.lines);
  return (
    <Box flexShrink={0}>
      <Text wrap="truncate-end">
        <Text color={palette.color('yellow')} bold inverse={!palette.enabled}>
          paste of {n} lines:
        </Text>{' '}
        <Text bold>Enter</Text> {n} messages · <Text bold>m</Text> one message · <Text bold>Esc</Text> cancel
      </Text>
    </Box>
  );
}
