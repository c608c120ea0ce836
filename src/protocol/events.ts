/**
 * The JSON objects of protocol v1, server to client and client to server.
 * Every transport carries exactly these; see docs/protocol.md.
 */

export type Via = 'ws' | 'sse' | 'longpoll';
export const VIAS: readonly Via[] = ['ws', 'sse', 'longpoll'];

export interface Limits {
  maxText: number;
  maxNick: number;
}

export interface HelloEvent {
  type: 'hello';
  protocol: number;
  server: string;
  room: string;
  epoch: string;
  head: number;
  time: number;
  limits: Limits;
}

export interface MessageEvent {
  type: 'message';
  room: string;
  seq: number;
  nick: string;
  cid: string;
  text: string;
  ts: number;
}

export interface PresenceMember {
  nick: string;
  via: Via;
  since: number;
}

export interface PresenceEvent {
  type: 'presence';
  room: string;
  version: number;
  members: PresenceMember[];
  /** Members present (protocol 1.1); a 1.0 server sends only the list. */
  count?: number;
  /** True when `members` is empty because the room is bigger than the server's list limit (protocol 1.1). */
  truncated?: boolean;
}

export interface GapEvent {
  type: 'gap';
  room: string;
  from: number;
  to: number;
}

export interface ResetEvent {
  type: 'reset';
  room: string;
  epoch: string;
  head: number;
}

export interface AckEvent {
  type: 'ack';
  cid: string;
  room: string;
  seq: number;
  ts: number;
}

export interface PongEvent {
  type: 'pong';
  t: number;
  server: number;
}

export interface ErrorEvent {
  type: 'error';
  code: string;
  message: string;
  cid?: string;
  room?: string;
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
  | ErrorEvent;

/** Events that belong to one room's stream (what a subscription carries). */
export type RoomEvent = HelloEvent | MessageEvent | PresenceEvent | GapEvent | ResetEvent;

export interface JoinFrame {
  type: 'join';
  room: string;
  after?: number;
  epoch?: string;
}

export interface LeaveFrame {
  type: 'leave';
  room: string;
}

export interface SendFrame {
  type: 'send';
  room: string;
  cid?: string;
  text: string;
  /** Extension: a WebSocket send may carry a nick other than the socket's. */
  nick?: string;
}

export interface PingFrame {
  type: 'ping';
  t: number;
}

export type ClientFrame = JoinFrame | LeaveFrame | SendFrame | PingFrame;

/** Body of `POST /rooms/{room}/messages`. */
export interface SendBody {
  nick: string;
  session?: string;
  cid?: string;
  text: string;
}

/** Answer of a long poll. */
export interface PollResponse {
  events: RoomEvent[];
  next: number;
}

export interface RoomSummary {
  room: string;
  head: number;
  members: number;
}
