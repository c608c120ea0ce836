/**
 * Parses what the user typed into one command. Pure, so every form is tested;
 * the App decides what each command does.
 */
import { VIAS, type Via } from '../protocol/index.js';
import { validateNick, validateRoom } from '../protocol/index.js';
import { ACTION_PREFIX } from './format.js';
import type { BellMode } from './state/types.js';

export type Command =
  | { kind: 'empty' }
  /** Plain text to send; `//x` sends `/x` (the way to start a message with a slash). */
  | { kind: 'say'; text: string }
  /** `/me waves` is sent as the text `/me waves` and shown as an action. */
  | { kind: 'me'; text: string }
  | { kind: 'nick'; nick: string }
  /** Adds a room to the list and switches to it (the rooms joined before stay). */
  | { kind: 'join'; room: string }
  /** Leaves a room (`name` as typed: `#ops`, `ops`, `@bob`), the active one when undefined. */
  | { kind: 'part'; name: string | undefined }
  | { kind: 'switch'; name: string }
  /** Opens the DM with account `peer`, switches to it, and sends `text`. */
  | { kind: 'msg'; peer: string; text: string }
  | { kind: 'bell'; mode: BellMode }
  | { kind: 'notify'; on: boolean }
  | { kind: 'mentions' }
  | { kind: 'search'; query: string }
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
  ['/join ROOM', 'join one more room and switch to it'],
  ['/part [ROOM]', 'leave a room (default: this one)'],
  ['/switch NAME', 'show another room: #room, room or @peer'],
  ['/msg NICK TEXT', 'send a direct message (opens the DM room)'],
  ['/mentions', 'show or hide the recent mentions of you'],
  ['/search TEXT', "search this room's history; Up/Down jump between the hits"],
  ['/bell off|mentions|all', 'when to ring the bell (default mentions)'],
  ['/notify on|off', 'desktop notifications for mentions and DMs (default off)'],
  ['/who', 'show or hide who is online'],
  ['/me ACTION', 'say what you do ("* ann waves")'],
  ['/via ws|sse|longpoll', 'switch transport live'],
  ['/latency', 'show or hide latency statistics'],
  ['/quit', 'leave (also Ctrl+C)'],
  ['//text', 'send a message that starts with "/"'],
];

const BELL_MODES: readonly BellMode[] = ['off', 'mentions', 'all'];

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
    case 'part':
      return { kind: 'part', name: arg === '' ? undefined : arg };
    case 'switch':
    case 's':
      if (arg === '') return { kind: 'invalid', message: 'usage: /switch ROOM|@PEER' };
      return { kind: 'switch', name: arg };
    case 'msg':
    case 'query': {
      const m = /^@?(\S+)\s+(.+)$/s.exec(arg);
      if (m === null) return { kind: 'invalid', message: 'usage: /msg NICK TEXT' };
      return { kind: 'msg', peer: m[1] as string, text: (m[2] as string).trim() };
    }
    case 'bell': {
      const mode = BELL_MODES.find((b) => b === arg.toLowerCase());
      if (mode === undefined) return { kind: 'invalid', message: `usage: /bell ${BELL_MODES.join('|')}` };
      return { kind: 'bell', mode };
    }
    case 'notify': {
      const on = arg.toLowerCase();
      if (on !== 'on' && on !== 'off') return { kind: 'invalid', message: 'usage: /notify on|off' };
      return { kind: 'notify', on: on === 'on' };
    }
    case 'mentions':
      return { kind: 'mentions' };
    case 'search':
      if (arg === '') return { kind: 'invalid', message: 'usage: /search TEXT' };
      if (Array.from(arg).length > 200) return { kind: 'invalid', message: 'a search is at most 200 characters' };
      return { kind: 'search', query: arg };
    case 'via': {
      const via = VIAS.find((v) => v === arg.toLowerCase());
      if (via === undefined) return { kind: 'invalid', message: `usage: /via ${VIAS.join('|')}` };
      return { kind: 'via', via };
    }
    default:
      return { kind: 'unknown', name };
  }
}
