/**
 * Entry point of the interactive client (`rtchat join` on a terminal): makes
 * the ChatClient, draws the App, and resolves with why it ended once the user
 * leaves and the terminal is restored. The caller (src/cli/join.ts) turns the
 * reason into an exit code.
 */
import { render } from 'ink';
import { ChatClient } from '../client/chat-client.js';
import { isClientError } from '../client/errors.js';
import type { ViaChoice } from '../client/types.js';
import { App } from './app.js';
import type { QuitReason } from './quit-reason.js';

export interface RunTuiOptions {
  /** Base URLs, tried in order. */
  servers: string[];
  room: string;
  nick: string;
  token?: string;
  via: ViaChoice;
}

/** Why the TUI ended; `message` says more for `unauthorized` (the server's words). */
export interface TuiExit {
  reason: QuitReason;
  message?: string;
}

export async function runTui(options: RunTuiOptions): Promise<TuiExit> {
  const client = new ChatClient({
    servers: options.servers,
    room: options.room,
    nick: options.nick,
    via: options.via,
    ...(options.token === undefined ? {} : { token: options.token }),
  });

  let exit: TuiExit | undefined;
  const quit = (reason: QuitReason, message?: string): void => {
    if (exit !== undefined) return;
    exit = message === undefined ? { reason } : { reason, message };
    // No waiting for pending sends: they stay unsent, as the user asked to leave now.
    void client
      .stop()
      .catch(() => undefined)
      .finally(() => instance.unmount());
  };

  const instance = render(<App client={client} server={options.servers[0] ?? ''} onQuit={quit} />, {
    exitOnCtrlC: false,
  });
  const onSignal = (): void => quit('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  client.start().catch((err: unknown) => {
    // Other failures show in the status bar and the client keeps retrying;
    // a refused token cannot get better by retrying.
    if (isClientError(err) && err.code === 'unauthorized') quit('unauthorized', err.message);
  });

  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exit ?? { reason: 'left' };
}
