/**
 * One soak client, whatever its transport: who it is, where it stands in the
 * room (the last seq it took, as its cursor), and the bookkeeping every
 * transport shares. No timer of its own: deadlines are fields the worker's
 * single timer sweeps. Memory-light on purpose, tens of thousands live in a
 * few processes.
 */
import type { Via } from '../../protocol/events.js';
import type { Tally } from './tally.js';

/** What the worker does for its clients. */
export interface ConnHost {
  readonly tally: Tally;
  readonly room: string;
  /** Clients join without session and nick. */
  readonly anonymous: boolean;
  readonly pollTimeoutS: number;
  /** Bound on one connect, TCP connect to hello, ms. */
  readonly connectTimeoutMs: number;
  /** Silence after which a WS or SSE client counts its peer dead, ms. */
  readonly silenceMs: number;
  /** A connect reached its hello. */
  readied(conn: SoakConn): void;
  /**
   * The connection dropped without the harness asking; `code` names why and
   * `wasOnline` tells a drop from a failed connect. The host reconnects later.
   */
  dropped(conn: SoakConn, code: string, wasOnline: boolean): void;
}

export interface ConnTarget {
  /** Server host and port. */
  host: string;
  port: number;
  /** Source address to bind, 127.0.0.x. */
  localAddress: string;
}

/** `soak:<sentAt ms, wall clock>:<i> …` — what the coordinator posts. */
export function soakText(i: number, sentAt: number): string {
  return `soak:${sentAt.toFixed(1)}:${i} the quick brown fox jumps over the lazy dog`;
}

function sentAtOf(text: string): number {
  if (!text.startsWith('soak:')) return 0;
  return Number(text.slice(5, text.indexOf(':', 5)));
}

/** Wall-clock ms with sub-ms resolution, comparable across processes of one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export type ConnPhase = 'idle' | 'connecting' | 'online' | 'waiting';

export abstract class SoakConn {
  abstract readonly via: Via;
  phase: ConnPhase = 'idle';
  /** Highest seq taken; the cursor of every (re)connect. */
  lastSeq = 0;
  /** Distinct messages taken. */
  got = 0;
  everReady = false;
  /** Failed connects in a row, for the backoff. */
  attempt = 0;
  /** Wall ms after which the sweep gives up on what the connection waits for (0: nothing). */
  deadline = 0;
  /** Set while the harness itself closes the connection: no drop is counted then. */
  protected stopping = false;

  constructor(
    readonly index: number,
    /** `session=…&nick=…`, or '' for an anonymous client. */
    readonly identity: string,
    readonly target: ConnTarget,
    protected readonly host: ConnHost,
  ) {}

  /** Opens (or reopens, from `lastSeq`) the connection, bounded by the connect timeout. */
  connect(): void {
    this.stopping = false;
    this.phase = 'connecting';
    this.deadline = wallNow() + this.host.connectTimeoutMs;
    this.open();
  }

  protected abstract open(): void;
  /** Tears the connection down without counting a drop. */
  protected abstract teardown(): void;

  /** The harness closes this client for good. */
  close(): void {
    this.stopping = true;
    this.phase = 'idle';
    this.teardown();
  }

  /** The sweep found the deadline passed: drop as a real client's watchdog would. */
  expire(code: string): void {
    this.stopping = true;
    this.teardown();
    this.stopping = false;
    this.drop(code);
  }

  protected ready(): void {
    if (this.phase !== 'connecting') return;
    this.phase = 'online';
    this.attempt = 0;
    this.everReady = true;
    this.deadline = wallNow() + this.host.silenceMs;
    this.host.readied(this);
  }

  /** Data or a heartbeat arrived: the peer is alive. */
  protected alive(): void {
    if (this.phase === 'online') this.deadline = wallNow() + this.host.silenceMs;
  }

  protected drop(code: string): void {
    if (this.stopping || this.phase === 'idle' || this.phase === 'waiting') return;
    const wasOnline = this.phase === 'online';
    this.phase = 'waiting';
    this.deadline = 0;
    this.host.dropped(this, code, wasOnline);
  }

  /** A message event arrived: first arrival, duplicate, or past a hole. */
  protected message(seq: number, text: string): void {
    const t = this.host.tally;
    if (seq <= this.lastSeq) {
      t.duplicates++;
      return;
    }
    if (seq !== this.lastSeq + 1) t.gaps++;
    this.lastSeq = seq;
    this.got++;
    const now = wallNow();
    t.delivered(now, sentAtOf(text));
  }
}

/**
 * JSON.parse that answers undefined for bad JSON (a truncated body must not take a worker down). The
 * caller says what shape it expects: the soak's lean readers trust the server's own answers.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The error code of a socket error (ECONNRESET …), or its message. */
export function errorCode(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message.slice(0, 60);
  return String(err).slice(0, 60);
}
