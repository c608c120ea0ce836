/**
 * Connection, room and long-poll accounting against configurable limits.
 *
 * A connection is anything that holds a socket open on the server's behalf:
 * a WebSocket, an SSE stream, a held long poll. Past the overall bound the
 * server is full (503 `unavailable`, close 1013 for a socket); past a per-IP,
 * per-socket or per-session bound one client asks too much (429 `too_many`).
 * Both come with a Retry-After, and a resuming client loses nothing.
 *
 * Acquiring returns a release function, idempotent, so that every exit path
 * (close, error, abandon) may call it without double counting.
 */
import { ProtocolError } from '../protocol/index.js';
import { SERVER_DEFAULTS } from './defaults.js';

export interface ResourceLimitsOptions {
  /** Open WebSockets + SSE streams + held long polls, all clients. Default 10000. */
  maxConnections?: number;
  /** The same, per client IP address. Default 10000 (lower it when the server faces the internet). */
  maxConnectionsPerIp?: number;
  /** Rooms one WebSocket may have joined at once. Default 100. */
  maxRoomsPerSocket?: number;
  /**
   * Held long polls per session. Default 8. Polls without a session are bound
   * by the connection limits only: many anonymous readers may share one address.
   */
  maxPollsPerSession?: number;
  /** Retry-After suggested when a limit is hit, ms. Default 1000. */
  retryAfterMs?: number;
}

export type Release = () => void;

const DEFAULT_RESOURCE_LIMITS: Required<ResourceLimitsOptions> = {
  maxConnections: SERVER_DEFAULTS.limits.maxConnections,
  maxConnectionsPerIp: SERVER_DEFAULTS.limits.maxConnectionsPerIp,
  maxRoomsPerSocket: SERVER_DEFAULTS.limits.maxRoomsPerSocket,
  maxPollsPerSession: SERVER_DEFAULTS.limits.maxPollsPerSession,
  retryAfterMs: SERVER_DEFAULTS.limitRetryAfterMs,
};

export class ResourceLimits {
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly maxRoomsPerSocket: number;
  readonly maxPollsPerSession: number;
  private readonly retryAfterMs: number;
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private readonly polls = new Map<string, number>();

  constructor(options: ResourceLimitsOptions = {}) {
    const o = { ...DEFAULT_RESOURCE_LIMITS, ...stripUndefined(options) };
    for (const [name, v] of Object.entries(o)) {
      if (!Number.isInteger(v) || v < 0)
        throw new RangeError(`${name} must be a non-negative integer, got ${String(v)}`);
    }
    this.maxConnections = o.maxConnections;
    this.maxConnectionsPerIp = o.maxConnectionsPerIp;
    this.maxRoomsPerSocket = o.maxRoomsPerSocket;
    this.maxPollsPerSession = o.maxPollsPerSession;
    this.retryAfterMs = o.retryAfterMs;
  }

  /** Open connections now, overall. */
  get connections(): number {
    return this.total;
  }

  connectionsOf(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  pollsOf(session: string): number {
    return this.polls.get(session) ?? 0;
  }

  /**
   * Takes a connection slot for `ip`, or throws: `unavailable` (503) when the
   * server is full, `too_many` (429) when this address holds too many.
   */
  acquireConnection(ip: string): Release {
    if (this.total >= this.maxConnections) {
      throw new ProtocolError('unavailable', `server is full (${this.maxConnections} connections)`, {
        retryAfterMs: this.retryAfterMs,
      });
    }
    const mine = this.perIp.get(ip) ?? 0;
    if (mine >= this.maxConnectionsPerIp) {
      throw new ProtocolError('too_many', `at most ${this.maxConnectionsPerIp} connections per address`, {
        retryAfterMs: this.retryAfterMs,
      });
    }
    this.total++;
    this.perIp.set(ip, mine + 1);
    return this.once(() => {
      this.total--;
      decrement(this.perIp, ip);
    });
  }

  /**
   * Takes a held-poll slot: a connection slot plus, for a session, one of its
   * poll slots. Throws like acquireConnection, or `too_many` past the
   * per-session bound.
   */
  acquirePoll(session: string | undefined, ip: string): Release {
    if (session === undefined) return this.acquireConnection(ip);
    const held = this.polls.get(session) ?? 0;
    if (held >= this.maxPollsPerSession) {
      throw new ProtocolError('too_many', `at most ${this.maxPollsPerSession} pending long polls per session`, {
        retryAfterMs: this.retryAfterMs,
      });
    }
    const releaseConnection = this.acquireConnection(ip);
    this.polls.set(session, held + 1);
    return this.once(() => {
      releaseConnection();
      decrement(this.polls, session);
    });
  }

  /** Throws `too_many` when a socket that has joined `joined` rooms may not join another. */
  checkRooms(joined: number): void {
    if (joined >= this.maxRoomsPerSocket) {
      throw new ProtocolError('too_many', `at most ${this.maxRoomsPerSocket} rooms per socket`);
    }
  }

  private once(fn: () => void): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      fn();
    };
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function stripUndefined(o: ResourceLimitsOptions): ResourceLimitsOptions {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o) as [string, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}
