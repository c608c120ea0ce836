import type { EncodedEvent } from './encoded-event.js';

/** Who hears a room's live events: a subscription (fanout/subscription.ts) or a held long poll. */
export interface RoomListener {
  /** Live messages of the room, in seq order, encoded once for every listener. */
  onMessages(events: readonly EncodedEvent[]): void;
  /** The room's newest presence, with its version. */
  onPresence(event: EncodedEvent, version: number): void;
}

/** A held long poll, woken only by events of its own room. */
export interface RoomWaiter extends RoomListener {
  /** Answers at once with what it has (shutdown). */
  finish(): void;
}

/**
 * The hub's live view of one room: who listens, the highest seq seen, and the
 * latest presence snapshot (encoded once). It exists only while referenced;
 * the durable state lives in the store.
 */
export class Room {
  readonly name: string;
  /** Highest seq known to be committed (from ensureRoom or live events). */
  head = 0;
  /** The room's subscriptions. */
  readonly subs = new Set<RoomListener>();
  readonly waiters = new Set<RoomWaiter>();
  presenceVersion = -1;
  presenceEvent: EncodedEvent | undefined;
  /** The first read of the room's presence, while under way (shared by concurrent joins). */
  presenceLoading: Promise<EncodedEvent> | undefined;
  /** Subscriptions, waiters and in-flight requests holding this room. */
  refs = 0;

  constructor(name: string) {
    this.name = name;
  }

  observeHead(seq: number): void {
    if (seq > this.head) this.head = seq;
  }

  /** Keeps a snapshot only if it is newer; returns whether it was. */
  setPresence(event: EncodedEvent, version: number): boolean {
    if (version <= this.presenceVersion) return false;
    this.presenceVersion = version;
    this.presenceEvent = event;
    return true;
  }
}
