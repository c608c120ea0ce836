/**
 * A connection that records what its transport would write, for tests of the
 * hub and the fan-out without sockets; a test plays a slow reader by raising
 * `buffered` or setting `slow`.
 */
import type { ServerEvent } from '../../src/protocol/index.js';
import type { EncodedEvent } from '../../src/server/fanout/encoded-event.js';
import type { CloseReason } from '../../src/server/fanout/event-sink.js';
import { Connection } from '../../src/server/transports/connection.js';

export class RecordingConnection extends Connection {
  readonly via = 'ws' as const;
  readonly batches: EncodedEvent[][] = [];
  /** What the fake socket holds unsent; a test raises it to play a slow reader. */
  buffered = 0;
  /** When set, every write stays "in the socket" until drain(). */
  slow = false;
  closedWith: CloseReason | undefined;

  heartbeat(): void {}

  events(): ServerEvent[] {
    return this.batches.flat().map((e) => e.event);
  }

  seqs(): number[] {
    return this.batches
      .flat()
      .filter((e) => e.seq > 0)
      .map((e) => e.seq);
  }

  drain(): void {
    this.buffered = 0;
    this.onDrain();
  }

  protected frameBytes(ev: EncodedEvent): number {
    return ev.wsPayload.length;
  }

  protected socketBufferedBytes(): number {
    return this.buffered;
  }

  protected doWrite(batch: EncodedEvent[]): void {
    this.batches.push(batch);
    if (this.slow) for (const ev of batch) this.buffered += ev.wsPayload.length;
  }

  protected doClose(reason: CloseReason): void {
    this.closedWith = reason;
  }
}
