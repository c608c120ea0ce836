import { formatRoomCursor, type RoomCursor } from '../../protocol/index.js';

/**
 * The `id:` line of a multi-room SSE stream: the connection's whole room
 * cursor list (docs/protocol.md 8.4) after the message it goes with, so a
 * browser's `Last-Event-ID` resumes every room exactly.
 *
 * It follows the stream in write order, not the subscriptions' cursors: a
 * subscription moves its cursor when it queues an event, but the id must name
 * only what the reader got before (and with) this frame, or a reader cut off
 * mid-batch would skip another room's queued message on resume.
 *
 * Cost: one item string per message plus a join of one item per room, so
 * O(rooms of this connection) per message; the event's own bytes stay shared.
 */
export class SseCursorLine {
  /** Formatted `ROOM[:AFTER[:EPOCH]]` per room, in the stream's list order. */
  private readonly items: string[];
  private readonly epochs: Array<string | undefined>;
  private readonly index = new Map<string, number>();
  /** Bytes of the items plus separators: the frame-size estimate before the line is built. */
  private itemBytes = 0;

  /** @param rooms the stream's rooms with the positions it started from (the query merged with Last-Event-ID). */
  constructor(rooms: readonly RoomCursor[]) {
    this.items = rooms.map((c) => formatRoomCursor(c));
    this.epochs = rooms.map((c) => (c.after === undefined ? undefined : c.epoch));
    rooms.forEach((c, i) => this.index.set(c.room, i));
    for (const item of this.items) this.itemBytes += item.length + 1;
  }

  /** The room's hello was written: its messages follow `start` in `epoch`. */
  hello(room: string, epoch: string, start: number): void {
    const i = this.index.get(room);
    if (i === undefined) return;
    this.epochs[i] = epoch;
    this.set(i, `${room}:${start}:${epoch}`);
  }

  /**
   * A message of the room is being written: the line that goes with it.
   * Items hold only room names, digits and checked epochs (visible ASCII, no
   * `\n`): safe in one field line, and one byte per character.
   */
  message(room: string, seq: number): string {
    const i = this.index.get(room);
    if (i !== undefined) {
      const epoch = this.epochs[i];
      this.set(i, epoch === undefined ? `${room}:${seq}` : `${room}:${seq}:${epoch}`);
    }
    return `id: ${this.items.join(',')}\n`;
  }

  /** About the byte length of the next `id:` line (for the connection's buffer bound). */
  get estimate(): number {
    return this.itemBytes + 20;
  }

  private set(i: number, item: string): void {
    this.itemBytes += item.length - this.items[i]!.length;
    this.items[i] = item;
  }
}
