/** /help: the commands and keys, a page at a time when the screen is short. */
import { Box, Text } from 'ink';
import { HELP_ROWS } from '../help-rows.js';
import { helpPageSize } from '../layout.js';
import { PageHint, Panel } from './panel.js';

export function HelpPanel({ rows, offset }: { rows: number; offset: number }) {
  const size = helpPageSize(rows);
  const page = HELP_ROWS.slice(offset, offset + size);
  return (
    <Panel title="Help" rows={rows}>
      {page.map(([name, text]) =>
        text === '' ? (
          <Text key={name} bold underline>
            {name}
          </Text>
        ) : (
          <Box key={name}>
            <Box width={24} flexShrink={0}>
              <Text bold wrap="truncate-end">
                {name}
              </Text>
            </Box>
            <Text wrap="truncate-end">{text}</Text>
          </Box>
        ),
      )}
      <PageHint offset={offset} shown={page.length} total={HELP_ROWS.length} />
    </Panel>
  );
}
