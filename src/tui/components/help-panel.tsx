/** /help: the commands and keys, in a box above the status bar. */
import { Box, Text } from 'ink';
import { COMMAND_HELP } from '../commands.js';

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['Enter', 'send the line'],
  ['Up / Down', 'previous / next line you sent'],
  ['PgUp / PgDn', 'scroll back / forward; End returns to the live stream'],
  ['Esc', 'close this panel'],
  ['Ctrl+C', 'quit'],
];

function Rows({ rows }: { rows: ReadonlyArray<readonly [string, string]> }) {
  return (
    <>
      {rows.map(([name, text]) => (
        <Box key={name}>
          <Box width={24} flexShrink={0}>
            <Text bold>{name}</Text>
          </Box>
          <Text>{text}</Text>
        </Box>
      ))}
    </>
  );
}

export function HelpPanel() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold underline>Commands</Text>
      <Rows rows={COMMAND_HELP} />
      <Text bold underline>Keys</Text>
      <Rows rows={KEYS} />
    </Box>
  );
}
