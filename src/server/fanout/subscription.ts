import type { HelloEvent, MessageEvent } from '../../protocol/index.js';
import { EncodedEvent } from './encoded-event.js';
import type { EventSink } from './event-sink.js';
import type { StartPosition } from './position.js';
import type { Room, RoomListener } from './room.js';

/** What a subscription needs from the hub (kept narrow to avoid a cycle). */
export interface SubscriptionHost {
  read(room: string, after: number, limit: number): Promise<MessageEvent[]>;
  onSubscriptionError(sub: Subscription, err: unknown): void;
}

/** Messages per catch-up read; small enough that a page never floods the buffer. */
export const CATCH_UP_PAGE = 200;

type State = 'pending' | 'catchup' | 'live' | 'closed';

const EMPTY: readonly MessageEvent[] = [];

/**
 * One connection's interest in one room, driven by a cursor (the last seq
 * written). It is registered with the room *before* the backlog is read, so
 * nothing committed in between is missed; while catching up it ignores live
 * events and pages through the store as the connection drains; once the
 * store has nothing past the cursor it goes live. A live event that does not
 * continue the cursor sends it back to catching up; one at or below the
 * cursor is a duplicate and dropped.
 */
export class Subscription implements RoomListener {
  readonly conn: EventSink;
  readonly room: Room;
  cursor = 0;
  private state: State = 'pending';
  private reading = false;
  private presenceVersion = -1;
  /** The page being written; kept across pauses so a slow reader does not re-read it. */
  private page: readonly MessageEvent[] = EMPTY;
  private pageAt = 0;
  private readonly host: SubscriptionHost;
  /** Callers of settled() waiting for the backlog to be written. */
  private settledWaiters: Array<() => void> | undefined;

  constructor(host: SubscriptionHost, conn: EventSink, room: Room) {
    this.host = host;
    this.conn = conn;
    this.room = room;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  /**
   * Resolves once the backlog is queued (the subscription went live) or it
   * closed: a multi-room stream opens its next room only then, so each room's
   * history follows its hello before the next room's hello.
   */
  settled(): Promise<void> {
    if (this.state === 'live' || this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => (this.settledWaiters ??= []).push(resolve));
  }

  /** Writes hello (and reset/gap), then starts catching up from the start position. */
  begin(hello: HelloEvent, start: StartPosition): void {
    if (this.state !== 'pending') return;
    if (!this.conn.send(new EncodedEvent(hello, false, start.cursor))) return;
    if (start.reset !== undefined && !this.conn.send(new EncodedEvent(start.reset))) return;
    if (start.gap !== undefined && !this.conn.send(new EncodedEvent(start.gap))) return;
    this.cursor = start.cursor;
    this.state = 'catchup';
    if (this.room.presenceEvent !== undefined) this.onPresence(this.room.presenceEvent, this.room.presenceVersion);
    void this.catchUp();
  }

  /** Live messages of this room, in seq order, shared by every subscriber. */
  onMessages(events: readonly EncodedEvent[]): void {
    if (this.state !== 'live') return;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      if (ev.seq <= this.cursor) continue;
      if (ev.seq !== this.cursor + 1) {
        // Something fell in between (another node's commit we have not seen yet,
        // or an overflowed page): the store has it, so read it.
        this.state = 'catchup';
        void this.catchUp();
        return;
      }
      const r = this.conn.offer(ev);
      if (r === 'closed') return;
      if (r === 'full') {
        // A burst bigger than the buffer: page the rest from the store as the socket drains.
        this.state = 'catchup';
        void this.catchUp();
        return;
      }
      this.cursor = ev.seq;
    }
  }

  onPresence(event: EncodedEvent, version: number): void {
    if (this.state === 'pending' || this.state === 'closed' || version <= this.presenceVersion) return;
    this.presenceVersion = version;
    this.conn.sendLatest(this.room.name, event);
  }

  /** The connection drained: continue a paused catch-up. */
  resume(): void {
    if (this.state === 'catchup' && !this.reading) void this.catchUp();
  }

  close(): void {
    this.state = 'closed';
    this.page = EMPTY;
    this.settle();
  }

  private goLive(): void {
    this.state = 'live';
    this.settle();
  }

  private settle(): void {
    const waiters = this.settledWaiters;
    if (waiters === undefined) return;
    this.settledWaiters = undefined;
    for (const resolve of waiters) resolve();
  }

  private async catchUp(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.state === 'catchup') {
        // Paused until the connection drains (resume()); the buffer never overflows here.
        if (!this.conn.writable) {
          this.conn.markFull();
          return;
        }
        if (this.pageAt >= this.page.length) {
          const page = await this.host.read(this.room.name, this.cursor, CATCH_UP_PAGE);
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may come during the read
          if (this.state !== 'catchup') return;
          this.page = page;
          this.pageAt = 0;
          if (page.length === 0) {
            // Nothing past the cursor: live. A live event past the cursor restarts catching up.
            this.goLive();
            return;
          }
        }
        const page = this.page;
        while (this.pageAt < page.length) {
          const m = page[this.pageAt]!;
          if (m.seq <= this.cursor) {
            this.pageAt++;
            continue;
          }
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- each send below fills the buffer
          if (!this.conn.writable) break;
          if (m.seq > this.cursor + 1) {
            // Trimmed by retention while we were reading.
            this.conn.send(
              new EncodedEvent({ type: 'gap', room: this.room.name, from: this.cursor + 1, to: m.seq - 1 }),
            );
          }
          if (!this.conn.send(new EncodedEvent(m))) return;
          this.cursor = m.seq;
          this.pageAt++;
        }
        if (this.pageAt >= page.length) {
          this.room.observeHead(this.cursor);
          // A short page read at the head means the store has nothing more: go live.
          if (page.length < CATCH_UP_PAGE && this.cursor >= this.room.head) {
            this.page = EMPTY;
            this.pageAt = 0;
            this.goLive();
          }
        }
      }
    } catch (err) {
      this.host.onSubscriptionError(this, err);
    } finally {
      this.reading = false;
    }
  }
}
