/**
 * The JSON objects of protocol v1, server to client and client to server.
 * Every transport carries exactly these; see docs/protocol.md.
 *
 * Units and clocks, for every field below: times (`ts`, `time`, `since`,
 * pong `server`) are integer milliseconds since the Unix epoch on the
 * server's clock (in scale-out, the clock of the node that stamped them);
 * the client's offset to it is measured with ping/pong, never assumed.
 * A `seq` is a message's position in its room's log: 1, 2, 3… within one
 * `epoch`, with no holes. Lengths are Unicode code points.
 */

import type { DmOpenedEvent } from './dm-room.js';

/** A transport: WebSocket, Server-Sent Events (sends by POST), or long polling. */
export type Via = 'ws' | 'sse' | 'longpoll';
export const VIAS: readonly Via[] = ['ws', 'sse', 'longpoll'];

/** The server's limits, as a client must respect them. */
export interface Limits {
  /** Longest message text, in code points (default 4000). */
  maxText: number;
  /** Longest nick, in code points (default 32). */
  maxNick: number;
}

/** First event of every stream and of a first long poll: the room's state as the reader starts. */
export interface HelloEvent {
  type: 'hello';
  /** Major protocol version (1). */
  protocol: number;
  /** Server name and version, e.g. `rtchat/0.1.0`; for people and logs. */
  server: string;
  room: string;
  /** Opaque name of the room log's current life; a different one than a client holds means `reset`. */
  epoch: string;
  /** Highest seq stored when the stream started, 0 for an empty room. */
  head: number;
  /** When the hello was sent: ms since the Unix epoch, server's clock. */
  time: number;
  limits: Limits;
}

/** One stored message. Every client sees each exactly once, in `seq` order. */
export interface MessageEvent {
  type: 'message';
  room: string;
  /** Position in the room's log (1-based, no holes within an epoch). */
  seq: number;
  /** The sender's nick, 1..maxNick code points. */
  nick: string;
  /** The sender's client message id (1-64 of [A-Za-z0-9_-]), or one the server made. */
  cid: string;
  /** 1..maxText code points; may hold \n and \t, no other control characters. */
  text: string;
  /** When the message was stored (committed): ms since the Unix epoch, server's clock. */
  ts: number;
}

/** One present member (one per session). */
export interface PresenceMember {
  nick: string;
  /** The transport the member is present through. */
  via: Via;
  /** When the member arrived: ms since the Unix epoch, clock of the server (node) that saw it join. */
  since: number;
}

/**
 * Who is in a room (protocol 1.1). `members` is the whole list, oldest `since`
 * first, while `count` is at most the server's list limit; above it `members`
 * is `[]` and `truncated` is true (page it from `GET /rooms/{room}/presence`).
 * A page from that endpoint is truncated when members exist past it.
 */
export interface PresenceEvent {
  type: 'presence';
  room: string;
  /** Grows on every change of the room's presence; never goes down, across restarts and nodes. */
  version: number;
  /** Present members (one per session), whatever `members` holds. Optional only for v1 servers. */
  count?: number;
  members: PresenceMember[];
  /** True when `members` is not the whole list. Absent means false. */
  truncated?: boolean;
}

/**
 * Messages `from`..`to` (both inclusive) are no longer retained: the reader
 * asked for messages after `from - 1`; the messages from `to + 1` follow.
 */
export interface GapEvent {
  type: 'gap';
  room: string;
  /** First seq lost (inclusive). */
  from: number;
  /** Last seq lost (inclusive). */
  to: number;
}

/**
 * The reader's position does not belong to the room's current log (another
 * epoch, or an `after` above the head): drop the cursor; the retained
 * history of `epoch` follows, from its oldest message.
 */
export interface ResetEvent {
  type: 'reset';
  room: string;
  /** The room log's current epoch. */
  epoch: string;
  /** Highest seq stored in that epoch now. */
  head: number;
}

/** Answers a send once the message is durably stored (a retried cid gets the original). */
export interface AckEvent {
  type: 'ack';
  /** The cid of the send it answers. */
  cid: string;
  room: string;
  /** The stored message's seq. */
  seq: number;
  /** When it was stored: ms since the Unix epoch, server's clock (the message's `ts`). */
  ts: number;
}

/** Answers a ping: with `t` the client gets the RTT, with `server` its clock offset (NTP method). */
export interface PongEvent {
  type: 'pong';
  /** The ping's `t`, echoed unchanged (the client's clock, ms). */
  t: number;
  /** When the server answered: ms since the Unix epoch, server's clock. */
  server: number;
}

/** An error: the body of every non-2xx HTTP answer, and a WebSocket frame. */
export interface ErrorEvent {
  type: 'error';
  /** Stable code (ErrorCode in src/protocol/codes.ts); clients switch on it, unknown ones mean "failed". */
  code: string;
  /** For people; may change between versions. */
  message: string;
  /** The cid of the send it answers (WebSocket). */
  cid?: string;
  /** The room of the join it answers (WebSocket), or of the stream it ends (SSE). */
  room?: string;
  /** How long to wait before retrying, ms, when the server suggests it (rate_limited, too_many, unavailable). */
  retryAfterMs?: number;
}

export type ServerEvent =
  | HelloEvent
  | MessageEvent
  | PresenceEvent
  | GapEvent
  | ResetEvent
  | AckEvent
  | PongEvent
  | ErrorEvent
  /** Extension (docs/protocol.md 8.4): a DM of the connection's account it has not joined got a message. */
  | DmOpenedEvent;

/** Events that belong to one room's stream (what a subscription carries). */
export type RoomEvent = HelloEvent | MessageEvent | PresenceEvent | GapEvent | ResetEvent;

/** WebSocket: start receiving a room (a socket may join several). */
export interface JoinFrame {
  type: 'join';
  room: string;
  /** Last seq the client has; 0 means from the oldest retained. Absent: the last `history` messages. */
  after?: number;
  /** The epoch `after` belongs to; another one than the room's gets `reset`. */
  epoch?: string;
}

/** WebSocket: stop receiving a room. */
export interface LeaveFrame {
  type: 'leave';
  room: string;
}

/** WebSocket: send a message; answered by an `ack` or `error` with the same cid. */
export interface SendFrame {
  type: 'send';
  room: string;
  /** Client message id, 1-64 of [A-Za-z0-9_-]: retries with it are idempotent for at least 10 minutes. */
  cid?: string;
  /** 1..maxText code points. */
  text: string;
  /** Extension: a WebSocket send may carry a nick other than the socket's. */
  nick?: string;
}

/** WebSocket: asks for a `pong` (RTT and clock offset). */
export interface PingFrame {
  type: 'ping';
  /** Any finite number, echoed in the pong; by convention the client's clock, ms since the Unix epoch. */
  t: number;
}

export type ClientFrame = JoinFrame | LeaveFrame | SendFrame | PingFrame;

/** Body of `POST /rooms/{room}/messages`. */
export interface SendBody {
  /** 1..maxNick code points, no control or format characters. */
  nick: string;
  /** The client's secret session id, 16-64 of [A-Za-z0-9_-]: the idempotency and rate-limit key. */
  session?: string;
  /** Client message id, 1-64 of [A-Za-z0-9_-]. */
  cid?: string;
  /** 1..maxText code points. */
  text: string;
}

/** Answer of a long poll. */
export interface PollResponse {
  /** In stream order; at most `limit` messages (default and max 1000). */
  events: RoomEvent[];
  /** The seq to pass as `after` in the next poll: the last message's, else where this poll started. */
  next: number;
}

/** One room of `GET /rooms`. */
export interface RoomSummary {
  room: string;
  /** Highest seq stored, 0 for an empty room. */
  head: number;
  /** Present members (one per session). */
  members: number;
}
