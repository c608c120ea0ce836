/**
 * The one reader per node: a dedicated Redis connection subscribed to the bus
 * channel, turning committed batches and presence changes from every node
 * into StoreEvents.
 *
 * Pub/sub is at-most-once, so the feed keeps, per room, the last seq it has
 * announced. Anything that does not continue from there (a batch lost while
 * the connection was down) is filled from the stream with XRANGE first, so
 * listeners always see each room's messages contiguously and in seq order.
 * After every (re)subscribe the feed re-reads every room it knows, which is
 * what saves a quiet room whose last message was lost.
 */
import type { Redis } from 'ioredis';
import type { MessageEvent } from '../../../protocol/index.js';
import type { StoreEvent } from '../store.js';

/** Messages per XRANGE page when filling a hole. */
const FILL_PAGE = 1000;

export interface BusOptions {
  /** A connection of its own: it enters subscriber mode. */
  subscriber: Redis;
  channel: string;
  /** Reads messages with seq > after from the store (the command connection). */
  read(room: string, after: number, limit: number): Promise<MessageEvent[]>;
  emit(event: StoreEvent): void;
  onError(err: unknown, context: string): void;
}

interface RoomFeed {
  epoch: string | undefined;
  /** Highest seq announced to listeners. */
  delivered: number;
  /** Highest seq known to exist (from the bus) that a fill still has to reach. */
  want: number;
  filling: boolean;
}

type MessageTuple = [number, number, string, string, string];

function isTuple(v: unknown): v is MessageTuple {
  return (
    Array.isArray(v) &&
    v.length === 5 &&
    typeof v[0] === 'number' &&
    typeof v[1] === 'number' &&
    typeof v[2] === 'string' &&
    typeof v[3] === 'string' &&
    typeof v[4] === 'string'
  );
}

export class RedisBus {
  private readonly opts: BusOptions;
  private readonly feeds = new Map<string, RoomFeed>();
  /** Last presence version announced per room. */
  private readonly presenceVersions = new Map<string, number>();
  private closed = false;
  private started = false;

  constructor(options: BusOptions) {
    this.opts = options;
    const sub = options.subscriber;
    sub.on('message', (channel: string, payload: string) => {
      if (channel === options.channel) this.onPayload(payload);
    });
    // Resubscribing by hand (autoResubscribe off) lets the resync run only
    // once the subscription is confirmed, so nothing falls between the two.
    sub.on('ready', () => {
      if (!this.started) return;
      sub.subscribe(options.channel).then(
        () => this.resync(),
        (err: unknown) => options.onError(err, 'subscribe'),
      );
    });
  }

  /** Subscribes (the connection must be ready); later reconnects resubscribe by themselves. */
  async start(): Promise<void> {
    await this.opts.subscriber.subscribe(this.opts.channel);
    this.started = true;
  }

  /**
   * Starts tracking a room from a state read from Redis, so live batches that
   * follow are known to be contiguous. A room already tracked keeps its feed.
   */
  track(room: string, epoch: string, head: number): void {
    const feed = this.feeds.get(room);
    if (feed === undefined) {
      this.feeds.set(room, { epoch, delivered: head, want: head, filling: false });
    } else if (feed.epoch !== epoch && !feed.filling) {
      // The log was lost and restarted: its seqs start again from 1.
      feed.epoch = epoch;
      feed.delivered = Math.min(feed.delivered, head);
      feed.want = feed.delivered;
    }
  }

  /** Re-reads every known room (after the subscriber or Redis came back). */
  resync(): void {
    if (this.closed) return;
    for (const room of this.feeds.keys()) this.fill(room);
    // Changes announced while the bus was away are lost: tell listeners to look again.
    for (const room of this.presenceVersions.keys()) this.opts.emit({ kind: 'presence', room });
  }

  close(): void {
    this.closed = true;
  }

  private onPayload(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (err) {
      this.opts.onError(err, 'bus payload');
      return;
    }
    if (!Array.isArray(parsed) || typeof parsed[1] !== 'string') return;
    const room = parsed[1];
    if (parsed[0] === 'm' && typeof parsed[2] === 'string' && Array.isArray(parsed[3])) {
      this.onMessages(room, parsed[2], parsed[3]);
    } else if (parsed[0] === 'p' && typeof parsed[2] === 'number') {
      this.announcePresence(room, parsed[2]);
    }
  }

  private onMessages(room: string, epoch: string, tuples: unknown[]): void {
    const first = tuples[0];
    const last = tuples[tuples.length - 1];
    if (!isTuple(first) || !isTuple(last)) return;
    let feed = this.feeds.get(room);
    if (feed === undefined) {
      feed = { epoch, delivered: first[0] - 1, want: 0, filling: false };
      this.feeds.set(room, feed);
    } else if (feed.epoch !== epoch) {
      feed.epoch = epoch;
      if (!feed.filling) feed.delivered = Math.min(feed.delivered, first[0] - 1);
    }
    const lastSeq = last[0];
    if (lastSeq <= feed.delivered) return;
    if (feed.filling || first[0] > feed.delivered + 1) {
      feed.want = Math.max(feed.want, lastSeq);
      this.fill(room);
      return;
    }
    const messages: MessageEvent[] = [];
    for (const t of tuples) {
      if (!isTuple(t) || t[0] <= feed.delivered) continue;
      messages.push({ type: 'message', room, seq: t[0], nick: t[2], cid: t[3], text: t[4], ts: t[1] });
    }
    feed.delivered = lastSeq;
    this.opts.emit({ kind: 'messages', room, messages });
  }

  /** Reads from the stream until this node has announced everything there is. */
  private fill(room: string): void {
    const feed = this.feeds.get(room);
    if (feed === undefined || feed.filling || this.closed) return;
    feed.filling = true;
    const run = async (): Promise<void> => {
      for (;;) {
        const page = await this.opts.read(room, feed.delivered, FILL_PAGE);
        if (this.closed) return;
        const fresh = page.filter((m) => m.seq > feed.delivered);
        const lastMsg = fresh[fresh.length - 1];
        if (lastMsg !== undefined) {
          feed.delivered = lastMsg.seq;
          this.opts.emit({ kind: 'messages', room, messages: fresh });
        }
        if (page.length < FILL_PAGE && feed.delivered >= feed.want) return;
        // A trimmed stream may never reach `want`; stop rather than spin.
        if (page.length === 0) return;
      }
    };
    run()
      .catch((err: unknown) => this.opts.onError(err, 'fill'))
      .finally(() => {
        feed.filling = false;
      });
  }

  private announcePresence(room: string, version: number): void {
    const prev = this.presenceVersions.get(room) ?? -1;
    if (version <= prev) return;
    this.presenceVersions.set(room, version);
    this.opts.emit({ kind: 'presence', room, version });
  }
}
