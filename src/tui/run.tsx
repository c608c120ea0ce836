/**
 * Entry point of the interactive client (`rtchat join` on a terminal): makes
 * the ChatClient, draws the App, and resolves with why it ended once the user
 * leaves and the terminal is restored. The caller (src/cli/join.ts) turns the
 * reason into an exit code. Once started, lost connections are retried and
 * shown in the status bar; only an error no retry can fix ends it.
 */
import { render } from 'ink';
import { ChatClient } from '../client/chat-client.js';
import { isClientError, isFatalError, type ClientError } from '../client/errors.js';
import type { ViaChoice } from '../client/types.js';
import { withTimeout } from '../util/async.js';
import { App, type AppHistory } from './app.js';
import { HistoryFile } from './input/history-file.js';
import { hyperlinksAllowed } from './links.js';
import { colorAllowed } from './palette.js';
import type { QuitReason } from './quit-reason.js';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, inkStdout } from './terminal.js';

export interface RunTuiOptions {
  /** Base URLs, tried in order. */
  servers: string[];
  room: string;
  nick: string;
  token?: string;
  /** PEM of `--ca`. */
  ca?: string;
  via: ViaChoice;
  /** Draw colours; default: unless NO_COLOR is set (https://no-color.org). */
  color?: boolean;
  /** URLs as OSC 8 hyperlinks; default: when the terminal supports them (see hyperlinksAllowed). */
  links?: boolean;
  /** Keep the input history in `<stateDir>/history` across runs; default true. */
  history?: boolean;
}

/** Longest wait for the last history lines to be written once the user left, ms. */
const HISTORY_FLUSH_MS = 2000;

/**
 * The history file's lines and appender, and a flush for the end; an
 * unreadable file starts an empty history (writes then say why).
 */
async function openHistory(): Promise<AppHistory & { flush(): Promise<void> }> {
  const file = new HistoryFile();
  const lines = await file.load().catch(() => []);
  return {
    lines,
    add: (typed) => file.add(typed),
    // `/quit` itself was just appended: the exit waits for it, a hung disk not for long.
    flush: () => withTimeout(file.flush(), HISTORY_FLUSH_MS, () => new Error('history flush')).catch(() => undefined),
  };
}

/** Why the TUI ended; with `fatal`, the error that stopped the client. */
export interface TuiExit {
  reason: QuitReason;
  error?: ClientError;
}

export async function runTui(options: RunTuiOptions): Promise<TuiExit> {
  const client = new ChatClient({
    servers: options.servers,
    room: options.room,
    nick: options.nick,
    via: options.via,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });

  let exit: TuiExit | undefined;
  const quit = (reason: QuitReason, error?: ClientError): void => {
    if (exit !== undefined) return;
    exit = error === undefined ? { reason } : { reason, error };
    // No waiting for pending sends: they stay unsent, as the user asked to leave now.
    void client
      .stop()
      .catch(() => undefined)
      .finally(() => instance.unmount());
  };

  const color = options.color ?? colorAllowed();
  const links = options.links ?? hyperlinksAllowed(process.stdout);
  const history = options.history === false ? undefined : await openHistory();
  // Pastes arrive marked, as one paste (bracketed paste mode); off again however the client ends.
  const restoreTerminal = (): void => {
    process.stdout.write(BRACKETED_PASTE_OFF);
  };
  process.stdout.write(BRACKETED_PASTE_ON);
  process.once('exit', restoreTerminal);
  const app = (
    <App
      client={client}
      server={options.servers[0] ?? ''}
      onQuit={quit}
      color={color}
      links={links}
      {...(history === undefined ? {} : { history })}
    />
  );
  const instance = render(app, {
    exitOnCtrlC: false,
    stdout: inkStdout(process.stdout),
  });
  const onSignal = (): void => quit('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  client.start().catch((err: unknown) => {
    // Other failures show in the status bar and the client keeps retrying;
    // a refused token or a TLS problem cannot get better by retrying.
    if (isClientError(err) && isFatalError(err)) quit('fatal', err);
  });

  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', restoreTerminal);
    restoreTerminal();
    await history?.flush();
  }
  return exit ?? { reason: 'left' };
}
