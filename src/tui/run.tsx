/**
 * Entry point of the interactive client (`rtchat join` on a terminal): makes
 * the ChatClient, draws the App, and resolves with the exit code once the
 * user leaves and the terminal is restored.
 *
 * Exit codes: 0 for /quit, Ctrl+C or Ctrl+D (leaving is the normal way out of
 * a chat); 130 on SIGINT/SIGTERM from outside; 3 when no server answers at
 * the start or the server refuses the token (thrown as a CliError). Once
 * started, lost connections are retried and shown in the status bar.
 */
import { render } from 'ink';
import { ChatClient } from '../client/chat-client.js';
import { isClientError, isFatalError } from '../client/errors.js';
import type { ViaChoice } from '../client/types.js';
import { clientFailure } from '../cli/client-run.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { callFirstReachable, preferServer } from '../cli/http-errors.js';
import { App } from './app.js';
import { colorAllowed } from './palette.js';
import { trustedCas } from '../client/tls-trust.js';
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
}

export async function runTui(options: RunTuiOptions): Promise<number> {
  // The check tail and piped join make: a wrong --server, scheme or token is
  // one line on stderr and exit 3 before the screen is taken, not a retry loop.
  const { server } = await callFirstReachable({
    servers: options.servers,
    path: `/ping?t=${Date.now()}`,
    token: options.token,
    ca: trustedCas(options.ca),
    connectTimeoutMs: 3000,
    timeoutMs: 3000,
  });
  const client = new ChatClient({
    servers: preferServer(options.servers, server),
    room: options.room,
    nick: options.nick,
    via: options.via,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });

  let exitCode: number = EXIT.ok;
  let fatal: CliError | undefined;
  let quitting = false;
  const quit = (code: number): void => {
    if (quitting) return;
    quitting = true;
    exitCode = code;
    // No waiting for pending sends: they stay unsent, as the user asked to leave now.
    void client
      .stop()
      .catch(() => undefined)
      .finally(() => instance.unmount());
  };

  const color = options.color ?? colorAllowed();
  // Pastes arrive marked, as one paste (bracketed paste mode); off again however the client ends.
  const restoreTerminal = (): void => {
    process.stdout.write(BRACKETED_PASTE_OFF);
  };
  process.stdout.write(BRACKETED_PASTE_ON);
  process.once('exit', restoreTerminal);
  const instance = render(<App client={client} server={options.servers[0] ?? ''} onQuit={quit} color={color} />, {
    exitOnCtrlC: false,
    stdout: inkStdout(process.stdout),
  });
  const onSignal = (): void => quit(EXIT.interrupted);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  client.start().catch((err: unknown) => {
    // Other failures show in the status bar and the client keeps retrying;
    // a refused token cannot get better by retrying.
    if (isClientError(err) && isFatalError(err)) {
      fatal = clientFailure(err);
      quit(fatal.exitCode);
    }
  });

  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', restoreTerminal);
    restoreTerminal();
  }
  // Printed by main, once the terminal is restored, like every other CliError.
  if (fatal !== undefined) throw fatal;
  return exitCode;
}
