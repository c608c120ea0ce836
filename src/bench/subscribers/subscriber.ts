/** One bench subscriber connection, of whatever protocol. */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'undici';
import { deferred as sharedDeferred, type Deferred } from '../../util/async.js';
import type { Sink } from '../sink.js';

export interface Subscriber {
  /** Resolves once the server has taken the subscription (hello or connect ack). */
  readonly ready: Promise<void>;
  /** True once the connection ended unasked. */
  readonly dead: boolean;
  /** Why it died, when it did. */
  readonly error?: string | undefined;
  close(): void;
}

export interface SubscriberContext {
  /** Server base URL, `http://host:port`. */
  url: string;
  room: string;
  token?: string;
  /** Rooms read beside `room` on the same connection (ConnectRequest.extraRooms); none: the single-room endpoints. */
  extraRooms?: readonly string[] | undefined;
  /**
   * Who this subscriber is, as a real client: its own session id (16–64 chars of
   * `[A-Za-z0-9_-]`) and a nick, so the server counts it as a member of the room.
   */
  identity: Identity;
  /** Slot in the sink's per-subscriber tables. */
  index: number;
  sink: Sink;
  /** Shared HTTP pool for the HTTP transports, sized for every subscriber's held request. */
  pool: Pool;
}

export interface Identity {
  session: string;
  nick: string;
}

/**
 * A fresh identity per subscriber, as `rtchat join` makes one: a random
 * session (18 random bytes, 24 base64url chars) and the nick `<prefix>-<index>`.
 */
export function makeIdentity(prefix: string, index: number): Identity {
  return { session: randomBytes(18).toString('base64url'), nick: `${prefix}-${index}` };
}

/** `session=…&nick=…`, the query every receive request of a real client carries. */
export function identityQuery(id: Identity): string {
  return `session=${encodeURIComponent(id.session)}&nick=${encodeURIComponent(id.nick)}`;
}

export function wsBase(url: string): string {
  return url.replace(/^http/, 'ws');
}

export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** A promise with its settle functions, for `ready`. */
export function deferred(): Deferred<void> {
  const d = sharedDeferred();
  // A subscriber that dies after `ready` settled must not raise an unhandled rejection.
  d.promise.catch(() => undefined);
  return d;
}

/** Every room a subscriber reads, `room` first. */
export function allRooms(ctx: SubscriberContext): string[] {
  return [ctx.room, ...(ctx.extraRooms ?? [])];
}
