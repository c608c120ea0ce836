/**
 * What /help shows, row by row: the commands, then the keys. A heading is a
 * row whose text is empty.
 */
import { COMMAND_HELP } from './commands.js';

export type HelpRow = readonly [name: string, text: string];

const KEY_HELP: readonly HelpRow[] = [
  ['Enter', 'send the line'],
  ['Up / Down', 'previous / next line you sent (kept across runs); in /search: hits'],
  ['Left / Right', 'move by character; Ctrl or Alt with them: by word'],
  ['Home / End, Ctrl+A / E', 'start / end of the line'],
  ['Backspace / Delete', 'delete a character; Alt+Backspace, Ctrl+W: a word'],
  ['Ctrl+U', 'clear the line'],
  ['PgUp / PgDn', 'scroll back / forward (in a panel: its pages)'],
  ['End, Esc', 'back to the live stream; Esc also closes a panel'],
  ['Tab / Shift+Tab', 'complete a nick, command or room; again: next / previous'],
  ['a long paste', 'asks: Enter one message per line, m one message, Esc cancel'],
  ['Alt+1 … Alt+9', 'show room 1 … 9 of the room list'],
  ['Ctrl+N / Ctrl+P', 'next / previous room'],
  ['Ctrl+C', 'quit'],
];

export const HELP_ROWS: readonly HelpRow[] = [['Commands', ''], ...COMMAND_HELP, ['Keys', ''], ...KEY_HELP];
