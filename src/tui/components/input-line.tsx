/**
 * The line being typed, with a visible cursor. Keys are handled by the App;
 * this only draws.
 */
import { Box, Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import type { InputState } from '../state/types.js';

export interface InputLineProps {
  input: InputState;
  room: string;
  /** Shown dimmed while the line is empty. */
  placeholder?: string;
}

export function InputLine({ input, room, placeholder = 'type a message · /help for commands' }: InputLineProps) {
  const { value, cursor } = input;
  const at = value.slice(cursor, cursor + 1) || ' ';
  return (
    <Box>
      <Text color="cyan">#{escapeTerminal(room)}</Text>
      <Text bold>{'> '}</Text>
      {value === '' ? (
        <Text>
          <Text inverse> </Text>
          <Text dimColor>{placeholder}</Text>
        </Text>
      ) : (
        <Text>
          {value.slice(0, cursor)}
          <Text inverse>{at}</Text>
          {value.slice(cursor + 1)}
        </Text>
      )}
    </Box>
  );
}
