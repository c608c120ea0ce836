/**
 * Parses what the user typed into one command. Pure, so every form is tested;
 * the App decides what each command does.
 */
import { VIAS, type Via } from '../protocol/index.js';
import { validateNick, validateRoom } from '../protocol/index.js';
import { ACTION_PREFIX } from './format.js';

export type Command =
  | { kind: 'empty' }
  /** Plain text to send; `//x` sends `/x` (the way to start a message with a slash). */
  | { kind: 'say'; text: string }
  /** `/me waves` is sent as the text `/me waves` and shown as an action. */
  | { kind: 'me'; text: string }
  | { kind: 'nick'; nick: string }
  | { kind: 'join'; room: string }
  | { kind: 'via'; via: Via }
  | { kind: 'who' }
  | { kind: 'latency' }
  | { kind: 'help' }
  | { kind: 'quit' }
  /** A known command used wrongly; `message` says how to use it. */
  | { kind: 'invalid'; message: string }
  | { kind: 'unknown'; name: string };

/** Name, argument synopsis and one line of help per command, for /help. */
export const COMMAND_HELP: ReadonlyArray<readonly [string, string]> = [
  ['/help', 'show or hide this help'],
  ['/nick NAME', 'change your nick'],
  ['/join ROOM', 'leave this room and join another'],
  ['/who', 'show or hide who is online'],
  ['/me ACTION', 'say what you do ("* ann waves")'],
  ['/via ws|sse|longpoll', 'switch transport live'],
  ['/latency', 'show or hide latency statistics'],
  ['/quit', 'leave (also Ctrl+C)'],
  ['//text', 'send a message that starts with "/"'],
];

function problem(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function parseCommand(input: string): Command {
  const line = input.trim();
  if (line === '') return { kind: 'empty' };
  if (!line.startsWith('/')) return { kind: 'say', text: line };
  if (line.startsWith('//')) return { kind: 'say', text: line.slice(1) };

  const space = line.search(/\s/);
  const name = (space < 0 ? line.slice(1) : line.slice(1, space)).toLowerCase();
  const arg = space < 0 ? '' : line.slice(space + 1).trim();

  switch (name) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'who':
      return { kind: 'who' };
    case 'latency':
      return { kind: 'latency' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    case 'me':
      if (arg === '') return { kind: 'invalid', message: 'usage: /me ACTION' };
      return { kind: 'me', text: ACTION_PREFIX + arg };
    case 'nick':
      if (arg === '') return { kind: 'invalid', message: 'usage: /nick NAME' };
      try {
        return { kind: 'nick', nick: validateNick(arg) };
      } catch (err) {
        return { kind: 'invalid', message: problem(err) };
      }
    case 'join':
      if (arg === '') return { kind: 'invalid', message: 'usage: /join ROOM' };
      try {
        return { kind: 'join', room: validateRoom(arg.replace(/^#/, '')) };
      } catch (err) {
        return { kind: 'invalid', message: problem(err) };
      }
    case 'via': {
      const via = VIAS.find((v) => v === arg.toLowerCase());
      if (via === undefined) return { kind: 'invalid', message: `usage: /via ${VIAS.join('|')}` };
      return { kind: 'via', via };
    }
    default:
      return { kind: 'unknown', name };
  }
}
