import type { Via } from '../../protocol/index.js';
import { SERVER_DEFAULTS } from '../defaults.js';
import type { EncodedEvent } from '../fanout/encoded-event.js';
import type { DmListener, DmScope } from '../fanout/dm-notices.js';
import type { CloseReason, EventSink, OfferResult } from '../fanout/event-sink.js';
import type { Subscription } from '../fanout/subscription.js';

/** What a connection needs from the hub. */
export interface ConnectionHost {
  scheduleFlush(conn: Connection): void;
  connectionClosed(conn: Connection, reason: CloseReason): void;
  delivered(via: Via, count: number, oldestTs: number): void;
}

export interface ConnectionOptions {
  /** The hub: flushes the connection each tick and forgets it when it closes. */
  host: ConnectionHost;
  /** The client's session (the presence key), if it gave one. */
  session?: string | undefined;
  /** The nick it is present with; none means not present. */
  nick?: string | undefined;
  /** Client address, for anonymous rate limits and presence keys. */
  address: string;
  /** The account it speaks for (dmScopeOf the principal): it gets DM notices. None for guests and open servers. */
  dmScope?: DmScope | undefined;
  /** Bound on queued plus socket-buffered bytes. Default 1 MiB (SERVER_DEFAULTS.limits). */
  maxBufferBytes?: number;
  /** A reader that stays full (no drain) this long, in ms, is closed as too slow. Default 10000. */
  slowReaderMs?: number;
}

let nextId = 1;

/**
 * A persistent connection (WebSocket or SSE stream), in the style of
 * engine.io's Transport: events are queued by `send`, the hub flushes every
 * dirty connection once per tick (`flush` → `doWrite` with the whole batch),
 * and the outgoing buffer is bounded. A live event that does not fit is
 * refused (`offer` → 'full'): its subscription falls back to paging from the
 * store as the socket drains, so a burst never grows memory and never costs
 * a healthy reader its connection. A reader that stays full for
 * `slowReaderMs` is closed (1013 / stream end) and resumes from its cursor:
 * nothing is lost, and one stuck reader holds no memory for everyone.
 */
export abstract class Connection implements EventSink, DmListener {
  readonly id = nextId++;
  abstract readonly via: Via;
  readonly session: string | undefined;
  readonly nick: string | undefined;
  readonly address: string;
  readonly dmScope: DmScope | undefined;
  /** Room name → subscription. */
  readonly subs = new Map<string, Subscription>();
  closed = false;
  protected readonly host: ConnectionHost;
  private readonly maxBufferBytes: number;
  private readonly slowReaderMs: number;
  private queue: EncodedEvent[] = [];
  private queuedBytes = 0;
  /** Slot (a room's presence) → index in `queue` of its undelivered event, which a newer one replaces. */
  private latest = new Map<string, number>();
  /** Slot → newest event that found the buffer full; written on drain. */
  private parked = new Map<string, EncodedEvent>();
  /** When the connection last filled up without draining since; 0 when it is keeping up. */
  private fullSince = 0;
  /** DM rooms this connection was told of (made on the first notice: most connections never get one). */
  private dmNoticed: Set<string> | undefined;

  constructor(options: ConnectionOptions) {
    this.host = options.host;
    this.session = options.session;
    this.nick = options.nick;
    this.address = options.address;
    this.dmScope = options.dmScope;
    this.maxBufferBytes = options.maxBufferBytes ?? SERVER_DEFAULTS.limits.maxBufferBytes;
    this.slowReaderMs = options.slowReaderMs ?? SERVER_DEFAULTS.limits.slowReaderMs;
  }

  /** The presence key: the session, or a per-connection key for anonymous clients. */
  get presenceKey(): string {
    return this.session ?? `anon-${this.via}-${this.id}`;
  }

  /**
   * Queues an event that must go out (hello, ack, error, pong). Past the
   * bound the reader is not reading at all: the connection is closed.
   * Returns false when the connection is (now) closed.
   */
  send(ev: EncodedEvent): boolean {
    if (this.closed) return false;
    const bytes = this.frameBytes(ev);
    if (this.queuedBytes + bytes + this.socketBufferedBytes() > this.maxBufferBytes) {
      this.close('overflow');
      return false;
    }
    this.push(ev, bytes);
    return true;
  }

  /** Queues a room event if it fits; 'full' tells the subscription to page from the store instead. */
  offer(ev: EncodedEvent): OfferResult {
    if (this.closed) return 'closed';
    const bytes = this.frameBytes(ev);
    if (this.queuedBytes + bytes + this.socketBufferedBytes() > this.maxBufferBytes) {
      this.markFull();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- markFull() may close a slow reader
      return this.closed ? 'closed' : 'full';
    }
    this.push(ev, bytes);
    return 'queued';
  }

  /**
   * Queues a state event of which only the newest matters (a room's
   * presence): it replaces one still queued for the same slot, and waits for
   * the drain, rather than growing the buffer or closing the connection,
   * when the reader is behind. So a connection holds at most one undelivered
   * event per slot, however often the state changes.
   */
  sendLatest(slot: string, ev: EncodedEvent): void {
    if (this.closed) return;
    const at = this.latest.get(slot);
    if (at !== undefined) {
      this.queuedBytes += this.frameBytes(ev) - this.frameBytes(this.queue[at]!);
      this.queue[at] = ev;
      return;
    }
    if (!this.writable) {
      this.parked.set(slot, ev);
      this.markFull();
      return;
    }
    this.parked.delete(slot);
    this.latest.set(slot, this.queue.length);
    this.push(ev, this.frameBytes(ev));
  }

  /**
   * A DM of the connection's account got a message: told once per DM room,
   * and not at all once the connection has joined it (it gets the messages).
   * Queued as a state event (slot `dm ROOM`: no room name has a space), so a
   * reader that is behind waits for its drain rather than being closed.
   */
  onDmNotice(room: string, notice: EncodedEvent): void {
    if (this.closed || this.subs.has(room)) return;
    this.dmNoticed ??= new Set();
    if (this.dmNoticed.has(room)) return;
    this.dmNoticed.add(room);
    this.sendLatest('dm ' + room, notice);
  }

  /** Whether a catch-up may add more: below half the bound. */
  get writable(): boolean {
    return !this.closed && this.queuedBytes + this.socketBufferedBytes() < this.maxBufferBytes / 2;
  }

  /** Notes that the reader is behind; closes it once it has been for `slowReaderMs`. */
  markFull(): void {
    const now = Date.now();
    if (this.fullSince === 0) this.fullSince = now;
    else if (now - this.fullSince >= this.slowReaderMs) this.close('overflow');
  }

  /** True while the reader is behind (its pings are stuck behind data too). */
  get isFull(): boolean {
    return this.fullSince !== 0;
  }

  /** Called by the shared heartbeat: a reader full for too long is closed even in a quiet room. */
  checkSlow(): void {
    if (this.fullSince === 0 || this.closed) return;
    if (this.writable) this.fullSince = 0;
    else this.markFull();
  }

  private push(ev: EncodedEvent, bytes: number): void {
    this.queue.push(ev);
    this.queuedBytes += bytes;
    if (this.queue.length === 1) this.host.scheduleFlush(this);
  }

  /** Writes everything queued this tick in one batch. Called by the hub. */
  flush(): void {
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.latest.size > 0) this.latest.clear();
    this.doWrite(batch);
    let count = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < batch.length; i++) {
      const ev = batch[i]!;
      if (ev.seq === 0) continue;
      count++;
      if (ev.live && ev.ts < oldest) oldest = ev.ts;
    }
    if (count > 0) this.host.delivered(this.via, count, oldest);
  }

  /** Closes once; the hub forgets the connection and its subscriptions. */
  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.latest.clear();
    this.parked.clear();
    for (const sub of this.subs.values()) sub.close();
    this.host.connectionClosed(this, reason);
    this.doClose(reason);
  }

  /** The shared heartbeat: a protocol ping or an SSE comment. */
  abstract heartbeat(): void;

  /** Subclasses call this when the socket drained, to continue paused catch-ups. */
  protected onDrain(): void {
    if (!this.writable) return;
    this.fullSince = 0;
    if (this.parked.size > 0) {
      const parked = this.parked;
      this.parked = new Map();
      for (const [slot, ev] of parked) this.sendLatest(slot, ev);
    }
    for (const sub of this.subs.values()) sub.resume();
  }

  protected abstract frameBytes(ev: EncodedEvent): number;
  /** Bytes handed to the socket and not yet sent. */
  protected abstract socketBufferedBytes(): number;
  protected abstract doWrite(batch: EncodedEvent[]): void;
  protected abstract doClose(reason: CloseReason): void;
}
