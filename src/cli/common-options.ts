import os from 'node:os';
import type { Argv } from 'yargs';
import { VIAS } from '../protocol/events.js';
import { isTty } from '../util/tty.js';

function defaultNick(): string {
  try {
    return os.userInfo().username || 'guest';
  } catch {
    return process.env.USER ?? 'guest';
  }
}

/** The flags every client command shares. Env: RTCHAT_SERVER, RTCHAT_TOKEN, RTCHAT_NICK. */
export function withClientOptions<T>(y: Argv<T>) {
  return y
    .option('server', {
      type: 'string',
      default: 'http://127.0.0.1:7878',
      describe: 'server base URL; a comma-separated list fails over in order',
    })
    .option('token', {
      type: 'string',
      describe: 'bearer token, if the server needs one [default: the one rtchat login saved]',
    })
    .option('ca', { type: 'string', describe: 'PEM file of a CA to trust for https (besides the system CAs)' })
    .option('nick', { type: 'string', default: defaultNick(), describe: 'your display name' })
    .option('room', { type: 'string', default: 'lobby', describe: 'room name' })
    .option('via', {
      type: 'string',
      choices: [...VIAS, 'auto'],
      default: 'auto',
      describe: 'transport: ws, sse, longpoll, or auto (tries them in that order)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'print protocol JSON, one object per line' });
}

export interface ClientArgs {
  server: string;
  token?: string | undefined;
  ca?: string | undefined;
  nick: string;
  room: string;
  via: string;
  json: boolean;
}

/** Colour only on a TTY, and never with NO_COLOR set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return isTty(stream);
}
