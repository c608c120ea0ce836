/**
 * What the ChatClient needs from a transport. Each adapter (ws, sse, longpoll)
 * carries the same protocol events; the client decides what is new (cursor),
 * what to retry (outbox) and when to reconnect (its own loop). Transports are
 * injectable (ChatClient's `transports` option) so tests can swap them.
 */
import type { AckEvent, DmOpenedEvent, RoomEvent, Via } from '../../protocol/index.js';
import type { ClientError } from '../errors.js';
import type { StreamPosition } from '../cursor.js';
import type { PingSample } from '../latency.js';
import type { OutgoingMessage } from '../model.js';

/** One room a transport serves, and where its stream starts. */
export interface TransportRoom {
  room: string;
  /** Where to start; no `after` means the recent history. */
  position: StreamPosition;
  /** Last presence version seen (long polling asks for newer ones with `pv`), 0 before any. */
  presenceVersion: number;
}

/**
 * What a transport hands up: a room's event, or (extension, docs/protocol.md
 * 8.4) a `dm` notice: a DM of the account that this connection has not joined
 * got a message.
 */
export type StreamEvent = RoomEvent | DmOpenedEvent;

export interface TransportOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:7878. */
  server: string;
  /**
   * The rooms to receive, in join order; at least one. One room uses the
   * classic single-room endpoints, 2+ the multi-room ones (docs/protocol.md 8.4).
   */
  rooms: TransportRoom[];
  nick: string;
  session: string;
  token?: string;
  /** Trusted CAs for https/wss (see tls-trust.ts); Node's defaults when absent. */
  ca?: string[];
  /** Announce presence (send the nick on receive requests). */
  present: boolean;
  /** Server heartbeat period, ms; silence for twice this long means a dead peer. */
  heartbeatMs: number;
  /** Long-poll hold time asked of the server, seconds. */
  pollTimeoutS: number;
  /** Bound on one ping or one HTTP send without an answer, ms. */
  requestTimeoutMs: number;
}

export interface TransportHandlers {
  /** Every room event in stream order (duplicates included: the cursor drops them), and `dm` notices. */
  onEvent(event: StreamEvent): void;
  /** The transport died on its own (never called after `close()`). */
  onDown(error: ClientError): void;
}

export interface Transport {
  readonly via: Via;
  /** How many sends may be in flight at once without losing order. */
  readonly sendWindow: number;
  /**
   * Connects and resolves once the stream is established (a hello seen for
   * every room, or the server answered). Rejects with a ClientError
   * ('unauthorized' is fatal); one refused room fails the whole open.
   */
  open(): Promise<void>;
  /** The rooms this transport receives now, in join order. */
  rooms(): string[];
  /**
   * Joins one more room live, resolving at its hello; rejects with the
   * server's error for that room, or 'closed'/'timeout'. Only transports that
   * can (WebSocket) have it: the others are reopened with the new room list.
   */
  join?(room: TransportRoom): Promise<void>;
  /** Leaves a room live (no more events of it); see `join`. */
  leave?(room: string): void;
  /** Sends one message with its cid; resolves with the ack, rejects with a ClientError carrying the server's code. */
  send(message: OutgoingMessage): Promise<AckEvent>;
  /** One clock/RTT sample. */
  ping(): Promise<PingSample>;
  /** Idempotent; in-flight sends and pings reject with 'closed'. */
  close(): void;
}

export type TransportFactory = (options: TransportOptions, handlers: TransportHandlers) => Transport;
