import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import { isTty } from '../util/tty.js';

export type { Logger };

export interface LoggerOptions {
  /** Default 'info'. */
  level?: LevelWithSilent;
  /** Human-readable output; default: true when stderr is a TTY. */
  pretty?: boolean;
}

/** Logs go to stderr so that stdout stays free for the one "listening" line. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const usePretty = options.pretty ?? isTty(process.stderr);
  if (usePretty) {
    return pino({ level, base: undefined }, pretty({ destination: 2, colorize: !process.env.NO_COLOR, sync: true }));
  }
  // Synchronous writes: the last lines before a crash or kill are the useful ones.
  return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that drops everything: the default for embedded servers and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
