/**
 * The line being typed, with a visible cursor, after the prompt `#room> `.
 * The prompt keeps its width (a room name is shortened only past half the
 * row); the line scrolls sideways within the rest. Keys are handled by
 * useKeys; this only draws.
 */
import { Box, Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import { usePalette } from '../palette.js';
import type { InputState } from '../state/types.js';
import { inputView } from '../text/input-view.js';
import { displayWidth, truncateWidth } from '../text/width.js';

export interface InputLineProps {
  input: InputState;
  room: string;
  columns: number;
  /** Shown dimmed while the line is empty. */
  placeholder?: string;
}

/**
 * `#room> ` (or `@peer> ` for a DM: `label` is roomLabel's), shortened when the
 * prompt would take more than half the row.
 */
export function promptText(label: string, columns: number): string {
  const full = `${escapeTerminal(label)}> `;
  const half = Math.floor(columns / 2);
  if (displayWidth(full) <= half) return full;
  return `${label.slice(0, 1)}${truncateWidth(escapeTerminal(label.slice(1)), Math.max(1, half - 3))}> `;
}

const PLACEHOLDER = 'type a message · /help for commands';

export function InputLine({ input, room, columns, placeholder = PLACEHOLDER }: InputLineProps) {
  const palette = usePalette();
  const prompt = promptText(room, columns);
  // One column of margin at the right edge, as for every row.
  const width = Math.max(1, columns - 1 - displayWidth(prompt));
  const view = inputView(input.value, input.cursor, width);
  return (
    <Box flexShrink={0}>
      <Text wrap="truncate-end">
        <Text color={palette.color('cyan')}>{prompt.slice(0, -2)}</Text>
        <Text bold>{'> '}</Text>
        {input.value === '' ? (
          <>
            <Text inverse> </Text>
            <Text dimColor>{truncateWidth(placeholder, Math.max(0, width - 1))}</Text>
          </>
        ) : (
          <>
            {view.before}
            <Text inverse>{view.at}</Text>
            {view.after}
          </>
        )}
      </Text>
    </Box>
  );
}
