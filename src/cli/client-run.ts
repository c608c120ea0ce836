/**
 * What `tail` and non-interactive `join` share: a reachability and token check
 * that fails fast with exit 3, a ChatClient on the answering server, the
 * mapping of client errors to exit codes, and a way to end the run once.
 */
import type { ChatClient } from '../client/chat-client.js';
import { ClientError, isFatalError } from '../client/errors.js';
import { trustedCas } from '../client/tls-trust.js';
import type { GapEvent } from '../protocol/events.js';
import type { Cursor, ViaChoice } from '../client/types.js';
import { CliError, EXIT } from './exit-codes.js';
import { callFirstReachable, preferServer, unauthorizedError } from './http-errors.js';
import { note } from './line-output.js';

/** Where a command connects, and as whom. */
export interface ClientTarget {
  servers: string[];
  room: string;
  nick: string;
  token?: string | undefined;
  /** PEM of `--ca`. */
  ca?: string | undefined;
  via: ViaChoice;
}

/** What the commands that print a room's stream (`tail`, piped `join`) start from. */
export interface StreamRunOptions extends ClientTarget {
  /** Print protocol JSON, one object per line, instead of message lines. */
  json: boolean;
  /** ANSI colour in message lines. */
  color: boolean;
}

export interface OpenClientOptions extends ClientTarget {
  cursor?: Partial<Cursor> | undefined;
  /** Skip the history: only messages stored after joining (ChatClientOptions.newOnly). */
  newOnly?: boolean | undefined;
  /** Whether to show up in presence; default true. */
  present?: boolean;
  /** Time to establish a connection, ms; default 3000. */
  connectTimeoutMs?: number;
}

/**
 * Checks that a server answers and takes the token (GET /ping), then builds a
 * ChatClient that tries that server first. The client is not started, so the
 * caller can attach listeners before the history arrives.
 */
export async function openClient(o: OpenClientOptions): Promise<ChatClient> {
  const connectTimeoutMs = o.connectTimeoutMs ?? 3000;
  const { server } = await callFirstReachable({
    servers: o.servers,
    path: `/ping?t=${Date.now()}`,
    token: o.token,
    ca: trustedCas(o.ca),
    connectTimeoutMs,
    timeoutMs: connectTimeoutMs,
  });
  const { ChatClient } = await import('../client/chat-client.js');
  return new ChatClient({
    servers: preferServer(o.servers, server),
    room: o.room,
    nick: o.nick,
    via: o.via,
    connectTimeoutMs,
    present: o.present ?? true,
    ...(o.token ? { token: o.token } : {}),
    ...(o.ca !== undefined ? { ca: o.ca } : {}),
    ...(o.cursor ? { cursor: o.cursor } : {}),
    ...(o.newOnly ? { newOnly: true } : {}),
  });
}

/**
 * A client failure as the CLI reports it: exit 3 for a refused token or no
 * server, 4 for a timeout, else 1. The ClientError's message is used as is,
 * never behind a prefix that says the same thing again.
 */
export function clientFailure(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ClientError) {
    if (err.code === 'unauthorized') return unauthorizedError();
    if (err.code === 'token_expired')
      return new CliError('the token expired or was revoked; get a fresh one (rtchat login)', EXIT.unreachable);
    // A TLS problem or an https-only server: the message says what to change.
    if (isFatalError(err) && err.code !== 'not_found') return new CliError(err.message, EXIT.unreachable);
    if (err.code === 'unreachable') {
      return new CliError(`cannot reach the server (${err.message}); check --server`, EXIT.unreachable);
    }
    if (err.code === 'timeout') return new CliError(`${err.message}; check --server and the network`, EXIT.timeout);
    return new CliError(`${err.message} (${err.code})`, EXIT.error);
  }
  return new CliError(err instanceof Error ? err.message : String(err), EXIT.error);
}

/**
 * The end of a run, decided once: by the command (count reached, input done),
 * a signal, or a failure. Later calls are ignored.
 */
export class RunEnd {
  readonly done: Promise<number>;
  private settled = false;
  private resolveFn: (code: number) => void = () => undefined;
  private rejectFn: (err: CliError) => void = () => undefined;

  constructor() {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    // A rejection nobody awaits yet must not crash the process.
    this.done.catch(() => undefined);
  }

  get ended(): boolean {
    return this.settled;
  }

  finish(code: number): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn(code);
  }

  fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectFn(clientFailure(err));
  }
}

/** Prints reconnects on stderr and ends the run if the client gives up. */
export function reportState(client: ChatClient, end: RunEnd): void {
  let lost = false;
  client.on('state', ({ newState }) => {
    if (end.ended) return;
    if (newState.name === 'reconnecting' && !lost) {
      lost = true;
      note(`connection lost (${newState.reason}); reconnecting`);
    } else if (newState.name === 'online' && lost) {
      lost = false;
      note(`reconnected to ${newState.server} via ${newState.via}`);
    } else if (newState.name === 'offline') {
      // The client gives up only on a fatal error: a refused or expired token, TLS, a room it may not see.
      const why = newState.reason;
      if (why === 'unauthorized') end.fail(unauthorizedError());
      else if (why === 'token_expired') {
        end.fail(new CliError('the token expired or was revoked; get a fresh one (rtchat login)', EXIT.unreachable));
      } else end.fail(new CliError(`disconnected (${why})`, why === 'not_found' ? EXIT.error : EXIT.unreachable));
    }
  });
  client.on('warning', (w) => {
    if (!end.ended) note(w);
  });
}

/** The stderr line for messages the server no longer keeps. */
export function noteGap(g: GapEvent): void {
  note(`messages ${g.from}..${g.to} are no longer kept by the server`);
}

/** Ends the run with exit 130 on Ctrl-C (SIGINT) or SIGTERM. */
export function endOnSignals(end: RunEnd): void {
  const onSignal = (): void => end.finish(EXIT.interrupted);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Stops the client, but never lets a stuck close hold the exit for long. */
export async function stopClient(client: ChatClient, withinMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.stop().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
    }),
  ]);
  clearTimeout(timer);
}
