/**
 * The client's position in a room's log: the last seq delivered and the epoch
 * it belongs to. It is the one place that decides whether an incoming event is
 * new, which is what makes overlapping transports (a live switch, a resumed
 * stream) harmless: anything at or below the cursor is a duplicate.
 */
import type { GapEvent, HelloEvent, MessageEvent, ResetEvent } from '../protocol/index.js';
import type { Cursor } from './model.js';

/** Where a receive request should start: no `after` means "the recent history". */
export interface StreamPosition {
  after?: number;
  epoch?: string;
}

export class StreamCursor {
  private seqValue: number;
  private epochValue: string | undefined;
  /**
   * False until the cursor means something: a fresh client asks for the recent
   * history (no `after`) instead of the whole retained log, and keeps doing so
   * on reconnects until it has seen a message or an empty room.
   */
  private anchored: boolean;

  /**
   * `newOnly`: without a seq, start at the head the first `hello` reports
   * instead of the recent history, so only messages stored later are new.
   */
  constructor(
    initial: Partial<Cursor> = {},
    private readonly newOnly = false,
  ) {
    this.seqValue = initial.seq ?? 0;
    this.epochValue = initial.epoch;
    this.anchored = initial.seq !== undefined;
  }

  get seq(): number {
    return this.seqValue;
  }

  get epoch(): string | undefined {
    return this.epochValue;
  }

  snapshot(): Cursor {
    return { seq: this.seqValue, epoch: this.epochValue };
  }

  position(): StreamPosition {
    if (!this.anchored) return {};
    return this.epochValue === undefined ? { after: this.seqValue } : { after: this.seqValue, epoch: this.epochValue };
  }

  onHello(hello: HelloEvent): void {
    if (!this.anchored && this.newOnly) {
      // The history that follows is at or below the head, so it counts as seen.
      this.seqValue = hello.head;
      this.epochValue = hello.epoch;
      this.anchored = true;
      return;
    }
    // A differing epoch is not acted on here: the server follows with a `reset`.
    if (this.epochValue === undefined) this.epochValue = hello.epoch;
    if (!this.anchored && hello.head === 0) this.anchored = true;
  }

  /** True when the message is new (and the cursor moved to it); false for a duplicate. */
  acceptMessage(message: MessageEvent): boolean {
    if (message.seq <= this.seqValue) return false;
    this.seqValue = message.seq;
    this.anchored = true;
    return true;
  }

  /** True when the gap is news; the cursor jumps past the lost range. */
  acceptGap(gap: GapEvent): boolean {
    if (gap.to <= this.seqValue) return false;
    this.seqValue = gap.to;
    this.anchored = true;
    return true;
  }

  /**
   * True when the reset applies: the server's condition for sending one (other
   * epoch, or a cursor above the head) holds for our cursor. A second reset
   * from an overlapping transport no longer does, and is dropped.
   */
  acceptReset(reset: ResetEvent): boolean {
    if (reset.epoch === this.epochValue && this.seqValue <= reset.head) return false;
    this.epochValue = reset.epoch;
    this.seqValue = 0;
    this.anchored = true;
    return true;
  }

  /** Forgets the position (another room): the next stream starts from recent history. */
  clear(): void {
    this.seqValue = 0;
    this.epochValue = undefined;
    this.anchored = false;
  }
}
