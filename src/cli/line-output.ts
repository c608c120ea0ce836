/**
 * What the scripting commands print. Everything that came from the network is
 * escaped before it reaches stdout, so one message is always exactly one line
 * and a hostile text cannot drive the reader's terminal.
 */
import type { MessageEvent } from '../protocol/events.js';
import { escapeTerminal } from '../protocol/escape.js';

// JSON.stringify leaves C1 controls, line separators and bidi overrides raw;
// inside JSON they can only sit in strings, so \u-escaping them keeps the
// value identical for any parser while keeping `| less`/`| cat` safe.
const JSON_UNSAFE_RE = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

function jsonEscape(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** One JSON object on one terminal-safe line, newline included. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE_RE, jsonEscape) + '\n';
}

const NICK_COLOURS = [31, 32, 33, 34, 35, 36] as const;

function nickColour(nick: string): number {
  let h = 0;
  for (let i = 0; i < nick.length; i++) h = (h * 31 + nick.charCodeAt(i)) | 0;
  return NICK_COLOURS[Math.abs(h) % NICK_COLOURS.length] ?? 36;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `HH:MM:SS` in local time (UTC when TZ is unset, as under `env -i`). */
export function clockTime(ts: number): string {
  const d = new Date(ts);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export interface LineOptions {
  /** ANSI colour for time and nick; default false (callers pass `useColor()`). */
  color?: boolean;
}

/** `HH:MM:SS nick: text` plus a newline, with nick and text escaped. */
export function formatMessageLine(m: Pick<MessageEvent, 'ts' | 'nick' | 'text'>, options: LineOptions = {}): string {
  const time = clockTime(m.ts);
  const nick = escapeTerminal(m.nick);
  const text = escapeTerminal(m.text);
  if (!options.color) return `${time} ${nick}: ${text}\n`;
  return `\x1b[2m${time}\x1b[22m \x1b[${nickColour(m.nick)}m${nick}\x1b[39m: ${text}\n`;
}

/**
 * Makes a closed reader (`rtchat tail | head -1`) end the command quietly
 * instead of crashing with EPIPE.
 */
export function guardStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Resolves once everything written to stdout so far has been handed to the OS. */
export function flushStdout(): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write('', () => resolve());
  });
}

/** One diagnostic line on stderr, never on stdout. */
export function note(message: string): void {
  process.stderr.write(`rtchat: ${escapeTerminal(message)}\n`);
}
