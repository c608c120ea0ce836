import { LIMITS, PROTOCOL_VERSION, ProtocolError, type HelloEvent, type Via } from '../protocol/index.js';
import type { EncodedEvent } from './fanout/encoded-event.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { resolveStart } from './fanout/position.js';
import { DmNotices } from './fanout/dm-notices.js';
import { LongPollMembers } from './fanout/long-poll-members.js';
import { PresencePacer } from './fanout/presence-pacer.js';
import { PresenceTracker } from './fanout/presence-tracker.js';
import type { Room } from './fanout/room.js';
import { RoomRegistry } from './fanout/room-registry.js';
import type {
  AppendInput,
  AppendResult,
  PresencePage,
  PresenceSnapshot,
  RoomState,
  SearchPage,
  SearchQuery,
  Store,
  StoreEvent,
} from './stores/store.js';
import type { RoomAccess } from './stores/identity-store.js';
import { Subscription, type SubscriptionHost } from './fanout/subscription.js';
import type { CloseReason } from './fanout/event-sink.js';
import type { Connection, ConnectionHost } from './transports/connection.js';
import { TickFlush } from './fanout/tick-flush.js';
import { SERVER_NAME } from './version.js';

export interface HubOptions {
  store: Store;
  logger: Logger;
  metrics: ServerMetrics;
  /** Messages sent to a reader without `after`. Default 50 (startServer passes SERVER_DEFAULTS). */
  history?: number;
  /** Period of WS pings and SSE comments, in ms. Default 15000. */
  heartbeatMs?: number;
  /** Shortest gap between two presence events of a room, in ms. Default 1000. */
  presenceIntervalMs?: number;
  /** Presence lists at most this many members; above it only the count. Default 100. */
  presenceListMax?: number;
  /** A DM room's two members (the identity store's `getRoomAccess`), for DM notices. None: no notices. */
  dmMembers?: (room: string) => Promise<RoomAccess | undefined>;
}

/**
 * The one hub behind all transports. Data flows socket → transport → hub →
 * store for sends, and store `subscribe` events → hub → rooms →
 * subscriptions / waiters → transports for delivery: a message reaches
 * everyone, its sender included, only once the store announces it.
 */
export class Hub implements ConnectionHost, SubscriptionHost {
  /** The hub is the store's only door for the data path: transports and routes call the methods below. */
  private readonly store: Store;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  readonly history: number;
  readonly connections = new Set<Connection>();
  /** Accounts' connections and held polls on this node, told of messages in their DMs (fanout/dm-notices.ts). */
  readonly dms: DmNotices;
  closing = false;
  private readonly presence: PresenceTracker;
  private readonly rooms: RoomRegistry;
  private readonly flusher: TickFlush;
  private readonly longPollMembers: LongPollMembers;
  private readonly pacer: PresencePacer;
  private unsubscribe: (() => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(options: HubOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.history = options.history ?? LIMITS.history;
    this.flusher = new TickFlush(this.logger);
    this.dms = new DmNotices({ members: options.dmMembers, logger: this.logger });
    // The presence tracker and pacer are the hub's own parts: they read and write presence for it.
    this.presence = new PresenceTracker({ store: this.store, logger: this.logger });
    this.longPollMembers = new LongPollMembers(this.presence);
    this.rooms = new RoomRegistry({ readPresence: (name) => this.pacer.read(name) });
    this.pacer = new PresencePacer({
      store: this.store,
      logger: this.logger,
      intervalMs: options.presenceIntervalMs,
      listMax: options.presenceListMax,
      isLive: (name) => this.rooms.isLive(name),
      publish: (name, event, version) => this.rooms.publishPresence(name, event, version),
    });
    this.unsubscribe = this.store.subscribe((ev) => this.onStoreEvent(ev));
    const beat = options.heartbeatMs ?? LIMITS.heartbeatMs;
    // One timer for all connections, one for all long-poll members: never one per client.
    this.timers.push(setInterval(() => this.heartbeat(), beat).unref());
    this.timers.push(setInterval(() => this.longPollMembers.sweep(), 1000).unref());
  }

  // ---- rooms -------------------------------------------------------------

  /** The room, live until released (a subscription, a held poll or a request under way holds it). */
  acquireRoom(name: string): Room {
    return this.rooms.acquire(name);
  }

  releaseRoom(room: Room): void {
    this.rooms.release(room);
  }

  hello(state: RoomState): HelloEvent {
    return {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      server: SERVER_NAME,
      room: state.room,
      epoch: state.epoch,
      head: state.head,
      time: Date.now(),
      limits: { maxText: LIMITS.maxText, maxNick: LIMITS.maxNick },
    };
  }

  /** The room's latest presence, encoded once and cached on the room (see RoomRegistry.presence). */
  roomPresence(room: Room): Promise<EncodedEvent> {
    return this.rooms.presence(room);
  }

  /** Every room the store knows, with its epoch and head (`GET /rooms`). */
  listRooms(): Promise<RoomState[]> {
    return this.store.listRooms();
  }

  /** The room's durable state; undefined for a room never used (`GET /dms`, `GET /unread`). */
  roomState(name: string): Promise<RoomState | undefined> {
    return this.store.roomState(name);
  }

  /** The room's durable state, creating the room (a new epoch) if it is new. */
  ensureRoom(name: string): Promise<RoomState> {
    return this.store.ensureRoom(name);
  }

  /** A page of the room's members with the whole count (the presence endpoint, `/rooms`). */
  presencePage(room: string, page: PresencePage): Promise<PresenceSnapshot> {
    return this.store.presence(room, page);
  }

  // ---- persistent connections --------------------------------------------

  connectionOpened(conn: Connection): void {
    this.connections.add(conn);
    this.dms.add(conn);
    this.metrics.connectionOpened(conn.via);
  }

  connectionClosed(conn: Connection, reason: CloseReason): void {
    if (!this.connections.delete(conn)) return;
    this.dms.remove(conn);
    this.logger.debug({ via: conn.via, id: conn.id, reason }, 'connection closed');
    this.metrics.connectionClosed(conn.via);
    this.flusher.forget(conn);
    for (const name of [...conn.subs.keys()]) this.leave(conn, name);
  }

  /**
   * Subscribes a connection to a room: registered first, then the room state
   * is read, then hello / reset / gap and the backlog, then live events.
   */
  async join(
    conn: Connection,
    name: string,
    position: { after?: number | undefined; epoch?: string | undefined },
  ): Promise<void> {
    if (conn.subs.has(name)) this.leave(conn, name);
    const room = this.acquireRoom(name);
    const sub = new Subscription(this, conn, room);
    conn.subs.set(name, sub);
    room.subs.add(sub);
    if (conn.nick !== undefined) void this.presence.acquire(name, conn.presenceKey, conn.nick, conn.via);
    let state: RoomState;
    try {
      state = await this.ensureRoom(name);
    } catch (err) {
      this.leave(conn, name);
      throw err;
    }
    if (sub.closed) return;
    room.observeHead(state.head);
    sub.begin(this.hello(state), resolveStart(state, position.after, position.epoch, this.history));
    if (room.presenceEvent === undefined) {
      // After the hello: a store too slow or away for presence does not fail the join (the pacer catches up).
      try {
        const p = await this.roomPresence(room);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the reader may leave during the read
        if (!sub.closed) sub.onPresence(p, room.presenceVersion);
      } catch (err) {
        this.logger.warn({ err, room: name }, 'presence read failed');
      }
    }
  }

  leave(conn: Connection, name: string): void {
    const sub = conn.subs.get(name);
    if (sub === undefined) return;
    conn.subs.delete(name);
    sub.close();
    sub.room.subs.delete(sub);
    this.releaseRoom(sub.room);
    if (conn.nick !== undefined) this.presence.release(name, conn.presenceKey);
  }

  scheduleFlush(conn: Connection): void {
    this.flusher.schedule(conn);
  }

  delivered(via: Via, count: number, oldestTs: number): void {
    this.metrics.delivered(via, count, oldestTs);
  }

  read(room: string, after: number, limit: number) {
    return this.store.read(room, after, limit);
  }

  /** Hits for `GET /rooms/{room}/search`, newest first (see Store.search for how each store finds them). */
  search(room: string, query: SearchQuery): Promise<SearchPage> {
    return this.store.search(room, query);
  }

  onSubscriptionError(sub: Subscription, err: unknown): void {
    this.logger.error({ err, room: sub.room.name }, 'subscription failed');
    sub.conn.close('error');
  }

  // ---- sending -----------------------------------------------------------

  /** Appends through the store; delivery follows from the store's announcement. */
  async send(input: AppendInput): Promise<AppendResult> {
    if (this.closing) throw new ProtocolError('shutting_down', 'server is shutting down');
    if (!this.store.writable)
      throw new ProtocolError('unavailable', 'store is not taking writes', { retryAfterMs: 1000 });
    const started = performance.now();
    const result = await this.store.append(input);
    this.metrics.storeWriteLatency.observe((performance.now() - started) / 1000);
    if (result.status === 'created') this.metrics.messagesIn.inc();
    return result;
  }

  // ---- long-poll members ---------------------------------------------------

  /**
   * A poll with a nick keeps its member present until `deadline`; resolves
   * once a new member is in the store.
   */
  longPollSeen(room: string, key: string, nick: string, deadline: number): Promise<void> {
    return this.longPollMembers.seen({ room, key, nick, deadline });
  }

  // ---- store events ------------------------------------------------------

  private onStoreEvent(ev: StoreEvent): void {
    try {
      if (ev.kind === 'messages') {
        this.rooms.deliverMessages(ev.room, ev.messages);
        this.dms.messagesStored(ev.room);
      } else if (this.rooms.presenceIsNew(ev.room, ev.version)) this.pacer.changed(ev.room);
    } catch (err) {
      this.logger.error({ err }, 'store event delivery failed');
    }
  }

  private heartbeat(): void {
    for (const conn of this.connections) {
      try {
        conn.checkSlow();
        if (!conn.closed) conn.heartbeat();
      } catch (err) {
        this.logger.debug({ err }, 'heartbeat failed');
      }
    }
  }

  // ---- shutdown ------------------------------------------------------------

  /** Answers held polls at once and stops listening to the store. */
  beginShutdown(): void {
    this.closing = true;
    this.rooms.finishWaiters();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.pacer.close();
    this.longPollMembers.clear();
    await this.presence.removeAll();
  }
}
