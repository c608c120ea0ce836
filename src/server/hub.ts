import { LIMITS, PROTOCOL_VERSION, ProtocolError, type HelloEvent, type PresenceEvent, type Via } from '../protocol/index.js';
import { EncodedEvent } from './encoded-event.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { resolveStart } from './position.js';
import { PresenceTracker } from './presence.js';
import { Room } from './room.js';
import type { AppendInput, AppendResult, RoomState, Store, StoreEvent } from './stores/store.js';
import { Subscription, type SubscriptionHost } from './subscription.js';
import type { CloseReason, Connection, ConnectionHost } from './transports/transport.js';
import { SERVER_NAME } from './version.js';

export interface HubOptions {
  store: Store;
  logger: Logger;
  metrics: ServerMetrics;
  /** Messages sent to a reader without `after`. Default 50. */
  history?: number;
  /** Period of WS pings and SSE comments, in ms. Default 15000. */
  heartbeatMs?: number;
}

interface LongPollMember {
  room: string;
  key: string;
  nick: string;
  deadline: number;
}

/**
 * The one hub behind all transports. Data flows socket → transport → hub →
 * store for sends, and store `subscribe` events → hub → rooms →
 * subscriptions / waiters → transports for delivery: a message reaches
 * everyone, its sender included, only once the store announces it.
 */
export class Hub implements ConnectionHost, SubscriptionHost {
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  readonly history: number;
  readonly presence: PresenceTracker;
  readonly connections = new Set<Connection>();
  closing = false;
  private readonly rooms = new Map<string, Room>();
  private dirty = new Set<Connection>();
  private flushScheduled = false;
  private readonly longPollMembers = new Map<string, LongPollMember>();
  private unsubscribe: (() => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(options: HubOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.history = options.history ?? LIMITS.history;
    this.presence = new PresenceTracker({ store: this.store, logger: this.logger });
    this.unsubscribe = this.store.subscribe((ev) => this.onStoreEvent(ev));
    const beat = options.heartbeatMs ?? LIMITS.ssePingMs;
    // One timer for all connections, one for all long-poll members: never one per client.
    this.timers.push(setInterval(() => this.heartbeat(), beat).unref());
    this.timers.push(setInterval(() => this.sweepLongPollMembers(), 1000).unref());
  }

  // ---- rooms -------------------------------------------------------------

  acquireRoom(name: string): Room {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = new Room(name);
      this.rooms.set(name, room);
    }
    room.refs++;
    return room;
  }

  releaseRoom(room: Room): void {
    if (--room.refs <= 0 && this.rooms.get(room.name) === room) this.rooms.delete(room.name);
  }

  /** Live rooms (with a reader or a held poll). */
  liveRooms(): IterableIterator<Room> {
    return this.rooms.values();
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

  /** The room's latest presence, encoded once and cached on the room. */
  async roomPresence(room: Room): Promise<EncodedEvent> {
    if (room.presenceEvent !== undefined) return room.presenceEvent;
    const snap = await this.store.presence(room.name);
    const enc = new EncodedEvent(presenceEvent(snap.room, snap.version, snap.members));
    room.setPresence(enc, snap.version);
    return room.presenceEvent ?? enc;
  }

  // ---- persistent connections --------------------------------------------

  connectionOpened(conn: Connection): void {
    this.connections.add(conn);
    this.metrics.connectionOpened(conn.via);
  }

  connectionClosed(conn: Connection, reason: CloseReason): void {
    if (!this.connections.delete(conn)) return;
    this.logger.debug({ via: conn.via, id: conn.id, reason }, 'connection closed');
    this.metrics.connectionClosed(conn.via);
    this.dirty.delete(conn);
    for (const name of [...conn.subs.keys()]) this.leave(conn, name);
  }

  /**
   * Subscribes a connection to a room: registered first, then the room state
   * is read, then hello / reset / gap and the backlog, then live events.
   */
  async join(conn: Connection, name: string, position: { after?: number | undefined; epoch?: string | undefined }): Promise<void> {
    if (conn.subs.has(name)) this.leave(conn, name);
    const room = this.acquireRoom(name);
    const sub = new Subscription(this, conn, room);
    conn.subs.set(name, sub);
    room.subs.add(sub);
    if (conn.nick !== undefined) void this.presence.acquire(name, conn.presenceKey, conn.nick, conn.via);
    let state: RoomState;
    try {
      state = await this.store.ensureRoom(name);
    } catch (err) {
      this.leave(conn, name);
      throw err;
    }
    if (sub.closed) return;
    room.observeHead(state.head);
    sub.begin(this.hello(state), resolveStart(state, position.after, position.epoch, this.history));
    if (room.presenceEvent === undefined) {
      const p = await this.roomPresence(room);
      if (!sub.closed) sub.onPresence(p, room.presenceVersion);
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
    this.dirty.add(conn);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushAll);
  }

  delivered(via: Via, count: number, oldestTs: number): void {
    this.metrics.delivered(via, count, oldestTs);
  }

  read(room: string, after: number, limit: number) {
    return this.store.read(room, after, limit);
  }

  onSubscriptionError(sub: Subscription, err: unknown): void {
    this.logger.error({ err, room: sub.room.name }, 'subscription failed');
    sub.conn.close('error');
  }

  // ---- sending -----------------------------------------------------------

  /** Appends through the store; delivery follows from the store's announcement. */
  async send(input: AppendInput): Promise<AppendResult> {
    if (this.closing) throw new ProtocolError('shutting_down', 'server is shutting down');
    if (!this.store.writable) throw new ProtocolError('unavailable', 'store is not taking writes', { retryAfterMs: 1000 });
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
    const id = room + '\u0000' + key;
    const m = this.longPollMembers.get(id);
    if (m !== undefined) {
      if (deadline > m.deadline) m.deadline = deadline;
      if (m.nick === nick) return Promise.resolve();
      // A nick change (/nick): the same member under its new name. acquire() renames it
      // in the store; release() takes back the reference that acquire() added.
      m.nick = nick;
      const renamed = this.presence.acquire(room, key, nick, 'longpoll');
      this.presence.release(room, key);
      return renamed;
    }
    this.longPollMembers.set(id, { room, key, nick, deadline });
    return this.presence.acquire(room, key, nick, 'longpoll');
  }

  private sweepLongPollMembers(): void {
    const now = Date.now();
    for (const [id, m] of this.longPollMembers) {
      if (m.deadline > now) continue;
      this.longPollMembers.delete(id);
      this.presence.release(m.room, m.key);
    }
  }

  // ---- store events ------------------------------------------------------

  private onStoreEvent(ev: StoreEvent): void {
    try {
      if (ev.kind === 'messages') {
        const room = this.rooms.get(ev.room);
        if (room === undefined || ev.messages.length === 0) return;
        room.observeHead(ev.messages[ev.messages.length - 1]!.seq);
        // Encoded once here, shared by every subscriber and waiter.
        const encoded = ev.messages.map((m) => new EncodedEvent(m, true));
        for (const sub of room.subs) sub.onMessages(encoded);
        for (const w of room.waiters) w.onMessages(encoded);
      } else {
        const snap = ev.snapshot;
        const room = this.rooms.get(snap.room);
        if (room === undefined) return;
        const enc = new EncodedEvent(presenceEvent(snap.room, snap.version, snap.members));
        if (!room.setPresence(enc, snap.version)) return;
        for (const sub of room.subs) sub.onPresence(enc, snap.version);
        for (const w of room.waiters) w.onPresence(enc, snap.version);
      }
    } catch (err) {
      this.logger.error({ err }, 'store event delivery failed');
    }
  }

  private readonly flushAll = (): void => {
    this.flushScheduled = false;
    const batch = this.dirty;
    this.dirty = new Set();
    for (const conn of batch) {
      try {
        conn.flush();
      } catch (err) {
        this.logger.warn({ err }, 'write failed');
        conn.close('error');
      }
    }
  };

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
    for (const room of this.rooms.values()) {
      for (const w of [...room.waiters]) w.finish();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.longPollMembers.clear();
    await this.presence.removeAll();
  }
}

function presenceEvent(room: string, version: number, members: PresenceEvent['members']): PresenceEvent {
  return { type: 'presence', room, version, members };
}
