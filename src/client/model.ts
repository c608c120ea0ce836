/**
 * The client's data model: the values the state machine, the outbox, the
 * cursor and the latency tracker hold and hand out. A leaf: it imports only
 * the protocol, so every part of the client (transports included) may use it
 * without an import cycle. The public API (src/client/types.ts) re-exports it.
 */
import type { Via } from '../protocol/index.js';

/** The connection state machine: connecting → online → reconnecting → … → offline. */
export type ConnectionState =
  | { name: 'connecting'; via: Via; server: string }
  | { name: 'online'; via: Via; server: string }
  | {
      name: 'reconnecting';
      via: Via;
      server: string;
      /** 1 for the first retry after a drop. */
      attempt: number;
      /** Delay chosen by the backoff, in ms. */
      nextInMs: number;
      /** Wall-clock ms at which the next attempt starts (for a countdown). */
      at: number;
      reason: string;
    }
  | { name: 'offline'; reason: string };

export interface StateChange {
  oldState: ConnectionState;
  newState: ConnectionState;
}

export interface Cursor {
  /** Last seq delivered to the application, 0 before any. */
  seq: number;
  epoch: string | undefined;
}

export type OutboxStatus = 'pending' | 'acked' | 'failed';

export interface OutgoingMessage {
  cid: string;
  room: string;
  nick: string;
  text: string;
  /** Wall-clock ms when the user sent it. */
  queuedAt: number;
  status: OutboxStatus;
  seq?: number;
  /** Error code when status is 'failed' (e.g. invalid_text: retrying cannot help). */
  error?: string;
  /** Why it failed, in a person's words, when status is 'failed' (e.g. the length and the limit). */
  reason?: string;
}

export interface Stats {
  last?: number;
  avg?: number;
  p95?: number;
  samples: number;
}

export interface LatencySnapshot {
  /** Round-trip time of pings, ms. */
  rtt: Stats;
  /** Server clock minus local clock, ms, from the lowest-RTT sample (NTP method). */
  offsetMs: number | undefined;
  /** Local receipt minus (server ts minus offset), per received message, ms. */
  delivery: Stats;
  /** From send to seeing one's own message back in the stream, ms. */
  ownRoundTrip: Stats;
}

export interface MessageMeta {
  /** True when the cid is one this client sent. */
  own: boolean;
  /** Delivery latency of this message, ms, when the clock offset is known. */
  latencyMs?: number;
}
