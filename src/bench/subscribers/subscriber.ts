/** One bench subscriber connection, of whatever protocol. */
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
  /** Slot in the sink's per-subscriber tables. */
  index: number;
  sink: Sink;
  /** Shared HTTP pool for the HTTP transports, sized for every subscriber's held request. */
  pool: Pool;
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
