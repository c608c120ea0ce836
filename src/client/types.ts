/**
 * The public face of the client core. The TUI, `send`, `tail`, non-interactive
 * `join` and `bench` all talk to a ChatClient through exactly this, whatever
 * the transport underneath.
 */
import type {
  AckEvent,
  DmOpenedEvent,
  GapEvent,
  HelloEvent,
  MessageEvent,
  PresenceEvent,
  ResetEvent,
  Via,
} from '../protocol/index.js';
import type { PresencePage } from './presence-page.js';
import type { RoomStart } from './room-set.js';
import type { ConnectionState, Cursor, LatencySnapshot, MessageMeta, OutgoingMessage, StateChange } from './model.js';
import type { TransportFactory } from './transports/transport.js';

export type ViaChoice = Via | 'auto';
export type { RoomStart } from './room-set.js';

export type {
  ConnectionState,
  StateChange,
  Cursor,
  OutboxStatus,
  OutgoingMessage,
  Stats,
  LatencySnapshot,
  MessageMeta,
} from './model.js';

/** Every room event (hello, message, presence, gap, reset) carries its `room`, whichever room is active. */
/**
 * A DM of the client's account that it has not joined got a message:
 * `{"type":"dm","room":"dm-…","peer":"ann"}` (docs/protocol.md 8.4). Told
 * once per connection; a client that joins the room gets its messages.
 */
export type DmNotice = DmOpenedEvent;

export interface ChatClientEvents {
  state: [StateChange];
  hello: [HelloEvent];
  /** Every message exactly once, in seq order, across reconnects and switches. */
  message: [MessageEvent, MessageMeta];
  presence: [PresenceEvent];
  gap: [GapEvent];
  reset: [ResetEvent];
  ack: [AckEvent];
  /** An outgoing message changed status (pending → acked or failed). */
  outbox: [OutgoingMessage];
  latency: [LatencySnapshot];
  /** Transport switched (by `switchVia` or by `auto` fallback). */
  via: [{ from: Via | undefined; to: Via }];
  /** Something worth a line on stderr or a system line; never fatal by itself. */
  warning: [string];
  /** A DM not among the client's rooms got a message (servers with accounts; at most once per connection). */
  dm: [DmNotice];
}

export interface ChatClientOptions {
  /** Base URLs (`http://host:port`, at least one); a failed attempt fails over to the next one. */
  servers: string[];
  /** The room to join, and the active one at first: ^[a-z0-9][a-z0-9_-]{0,63}$. */
  room: string;
  /**
   * More rooms to join at once, all on the one transport; the client's rooms
   * are `[room, ...rooms]` without duplicates, in that order. Default none.
   */
  rooms?: string[];
  /** 1..32 code points (the server's maxNick), no control or format characters. */
  nick: string;
  /** Bearer token for a server started with one. Default none. */
  token?: string;
  /** Extra CA certificates (PEM) trusted for https/wss besides the system ones. */
  ca?: string;
  /** Default 'auto': ws, then sse, then longpoll. */
  via?: ViaChoice;
  /** Random by default; stable across reconnects and switches of this client. */
  session?: string;
  /** Resume position in `room`; without it the server sends the last `history` messages. */
  cursor?: Partial<Cursor>;
  /** Resume positions per room (`cursor` wins for `room`); a room without one starts from its recent history. */
  cursors?: Record<string, Partial<Cursor>>;
  /**
   * Without a `cursor.seq`: skip the recent history and start at the room's
   * head when first joined (also after `joinRoom`), so only messages stored
   * from then on are delivered. Default false.
   */
  newOnly?: boolean;
  /**
   * RTT ping period while the latency figures are on screen (`setLatencyFocus(true)`)
   * or within 15 s of a send or a received message, ms. Default 5000.
   */
  pingIntervalMs?: number;
  /**
   * RTT ping period otherwise, ms: an idle client must not keep a phone's radio
   * awake. Default 60000; never shorter than `heartbeatMs` or `pingIntervalMs`.
   */
  idlePingIntervalMs?: number;
  /** Default 3000. */
  connectTimeoutMs?: number;
  /** Reconnect delays in ms, full jitter: retry n waits 0..min(maxMs, minMs * 2^n). Default 500 and 30000. */
  backoff?: { minMs?: number; maxMs?: number };
  /** Stop retrying after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
  /** Whether to announce presence (a `nick` on receive requests). Default true. */
  present?: boolean;
  /**
   * Server heartbeat period, ms: silence for twice this long on a WS or SSE
   * stream means a dead peer. Default 15000 (the server's ping period).
   */
  heartbeatMs?: number;
  /** Long-poll hold time asked of the server, seconds. Default 25. */
  pollTimeoutS?: number;
  /** Replaces transports by kind (tests, or a custom adapter). Default: the ws, sse and longpoll adapters. */
  transports?: Partial<Record<Via, TransportFactory>>;
}

/**
 * What `ChatClient` (src/client/chat-client.ts) offers. It is an EventEmitter
 * typed by ChatClientEvents: `client.on('message', (m, meta) => …)`.
 */
export interface ChatClientApi {
  readonly state: ConnectionState;
  /** The active room's cursor. */
  readonly cursor: Cursor;
  /** The active room (`setActiveRoom`); sends go there by default. */
  readonly room: string;
  /** Every room of the client, in join order. */
  readonly rooms: string[];
  readonly nick: string;
  readonly session: string;
  /** The transport in use (or being tried). */
  readonly via: Via;
  readonly latency: LatencySnapshot;
  /** Latest presence of the active room, if any arrived. */
  readonly presence: PresenceEvent | undefined;

  /** A room's cursor. @throws ClientError not_found when the client is not in `room`. */
  cursorOf(room: string): Cursor;
  /** A room's latest presence; undefined before any, or for a room the client is not in. */
  presenceOf(room: string): PresenceEvent | undefined;

  /**
   * Connects and resolves when first online. Rejects with a ClientError when
   * the server refuses the token (code 'unauthorized') or, with maxAttempts,
   * cannot be reached (code 'unreachable').
   */
  start(): Promise<void>;
  /** Closes the transport; pending sends stay in `outbox()`. */
  stop(): Promise<void>;
  /**
   * Queues a message (sent at once when online, on reconnect otherwise) and
   * returns it as pending. Its `cid` makes retries idempotent. `room` defaults
   * to the active room; any valid room may be named (the server decides), and
   * sends keep their order in each room (one queue for all).
   * @throws ClientError invalid_room for a malformed room name.
   */
  send(text: string, to?: { room?: string }): OutgoingMessage;
  /** Resolves with the ack of one send; rejects if it fails for good. */
  whenAcked(cid: string): Promise<AckEvent>;
  /** Resolves when nothing is pending in the outbox. */
  whenIdle(): Promise<void>;
  outbox(): OutgoingMessage[];
  /** Switches transport live, every room with it: nothing lost, nothing doubled. */
  switchVia(via: Via): Promise<void>;
  /**
   * Leaves every room and joins `room` alone (a room already joined keeps its
   * cursor; another starts from its recent history).
   */
  joinRoom(room: string): Promise<void>;
  /**
   * Joins one more room on the same transport (ws: a join frame; sse and
   * longpoll: a live reopen with the new room list). Resolves once its hello
   * arrived or the reopen finished; at once when offline (the next connect
   * joins it) or already in.
   * @throws ClientError with the server's code (not_found, nick_taken, too_many, …)
   *   or a network code; the room is then not added.
   */
  addRoom(room: string, start?: RoomStart): Promise<void>;
  /**
   * Leaves one room; the active room passes to the first one left.
   * @throws ClientError bad_request for the client's last room.
   */
  removeRoom(room: string): Promise<void>;
  /**
   * Makes `room` the active one (`room`, `cursor`, `presence`, default of
   * `send`); moves no network state.
   * A room the client is not in (yet) is ignored and the active room stays,
   * so a UI may switch its screen before `addRoom` resolves, then call again.
   */
  setActiveRoom(room: string): void;
  setNick(nick: string): void;
  /**
   * One page of the room's member list from the server (what /who shows when
   * presence is truncated; `room` defaults to the active one); a server without paging is paged here.
   */
  presencePage(page: { offset: number; limit: number; room?: string }): Promise<PresencePage>;
  /** Measures one RTT now (a ws ping frame or GET /ping). */
  ping(): Promise<number>;
  /**
   * Tells the client whether latency figures are on screen (the TUI's latency
   * panel): while true it pings every `pingIntervalMs`, else only just after
   * activity and every `idlePingIntervalMs` when idle.
   */
  setLatencyFocus(focused: boolean): void;
}
