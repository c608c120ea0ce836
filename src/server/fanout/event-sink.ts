import type { EncodedEvent } from './encoded-event.js';

/** Why a connection ends; transports map these to close codes or stream ends. */
export type CloseReason = 'peer' | 'overflow' | 'shutdown' | 'error' | 'timeout' | 'expired';

/** What `offer` did with a live event. */
export type OfferResult = 'queued' | 'full' | 'closed';

/**
 * Where a subscription writes its room's events: a connection's bounded
 * buffer (transports/connection.ts implements it). A leaf of its own, so the
 * subscription and the connection, which hold each other, import neither's
 * file for it.
 */
export interface EventSink {
  /** Whether a catch-up may add more: below half the buffer bound. */
  readonly writable: boolean;
  /** Queues an event that must go out; false when the sink is (now) closed. */
  send(ev: EncodedEvent): boolean;
  /** Queues a live event if it fits; 'full' tells the subscription to page from the store instead. */
  offer(ev: EncodedEvent): OfferResult;
  /** Queues a state event of which only the newest per `slot` matters (a room's presence). */
  sendLatest(slot: string, ev: EncodedEvent): void;
  /** Notes that the reader is behind (the sink closes it once it has been for too long). */
  markFull(): void;
  close(reason: CloseReason): void;
}
