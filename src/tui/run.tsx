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
import type { ChatClientOptions, ViaChoice } from '../client/types.js';
import { withTimeout } from '../util/async.js';
import { App, type AppHistory } from './app.js';
import { ExitTasks } from './exit-tasks.js';
import { HistoryFile } from './input/history-file.js';
import { hyperlinksAllowed } from './links.js';
import { httpServices, type TuiServices } from './services.js';
import type { InitialRoom } from './state/chat-reducer.js';
import { colorAllowed } from './palette.js';
import type { QuitReason } from './quit-reason.js';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, inkStdout } from './terminal.js';

export interface RunTuiOptions {
  /** Base URLs, tried in order. */
  servers: string[];
  /** The active room at start. */
  room: string;
  /** More rooms to join at start, after `room`. Default none. */
  rooms?: string[];
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
/** Bound on storing the last read markers when the user leaves, ms. */
const EXIT_TASKS_MS = 2000;

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

/** How long the read markers may take to load before the client starts without them, ms. */
const MARKERS_WAIT_MS = 3000;

/**
 * The read markers of `rooms`, loaded before they are joined, so their
 * history does not ring for what was read already. A room whose marker does
 * not come in time starts without one (everything counts as new).
 */
export async function loadMarkers(services: TuiServices, rooms: string[]): Promise<InitialRoom[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), MARKERS_WAIT_MS);
  });
  const one = async (room: string): Promise<InitialRoom> => {
    const m = await Promise.race([services.readMarker(room).catch(() => undefined), late]);
    return m === undefined ? { room } : { room, readSeq: m.seq, ...(m.epoch === undefined ? {} : { epoch: m.epoch }) };
  };
  try {
    return await Promise.all(rooms.map(one));
  } finally {
    clearTimeout(timer);
  }
}

export async function runTui(options: RunTuiOptions): Promise<TuiExit> {
  const rooms = [options.room, ...(options.rooms ?? []).filter((r) => r !== options.room)];
  const unique = rooms.filter((r, i) => rooms.indexOf(r) === i);
  // `rooms` (spec B1): every room rides the one transport; the first is the active one.
  const clientOptions: ChatClientOptions & { rooms?: string[] } = {
    servers: options.servers,
    room: options.room,
    rooms: unique,
    nick: options.nick,
    via: options.via,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
  const client = new ChatClient(clientOptions);

  const services = httpServices({
    server: () => (client.state.name === 'offline' ? (options.servers[0] ?? '') : client.state.server),
    markerServer: options.servers[0] ?? '',
    token: options.token,
    ca: options.ca,
  });
  const markers = await loadMarkers(services, unique);

  const exitTasks = new ExitTasks();
  let exit: TuiExit | undefined;
  const quit = (reason: QuitReason, error?: ClientError): void => {
    if (exit !== undefined) return;
    exit = error === undefined ? { reason } : { reason, error };
    // No waiting for pending sends: they stay unsent, as the user asked to leave now.
    // The read markers of the last second of reading first, bounded: a dead server must not hold the exit.
    void exitTasks
      .run(EXIT_TASKS_MS)
      .then(() => client.stop())
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
      services={services}
      rooms={markers}
      server={options.servers[0] ?? ''}
      onQuit={quit}
      color={color}
      links={links}
      {...(history === undefined ? {} : { history })}
      exitTasks={exitTasks}
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
