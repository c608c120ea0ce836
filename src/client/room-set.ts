/**
 * The rooms of one client: per room its cursor (what is new), its latest
 * presence and its live window (which messages count for latency), plus which
 * room is active. All rooms ride one transport; this is the state that lets
 * each keep its own position across reconnects, switches and reopens.
 */
import type { PresenceEvent, RoomEvent } from '../protocol/index.js';
import { ClientError } from './errors.js';
import { StreamCursor } from './cursor.js';
import { LiveWindow } from './live-window.js';
import type { Cursor } from './model.js';
import type { TransportRoom } from './transports/transport.js';

/** How a room is first joined. */
export interface RoomStart {
  /** Resume position; without it the room starts from its recent history. */
  cursor?: Partial<Cursor> | undefined;
  /** Without `cursor.seq`: start at the head of the first hello (no history). Default false. */
  newOnly?: boolean | undefined;
}

export class RoomState {
  readonly cursor: StreamCursor;
  /** Latest presence of the room, if any arrived. */
  presence: PresenceEvent | undefined;
  readonly live = new LiveWindow();

  constructor(
    readonly name: string,
    start: RoomStart = {},
  ) {
    this.cursor = new StreamCursor(start.cursor, start.newOnly ?? false);
  }

  /** What a transport opens this room with: its position and presence version now. */
  transportRoom(): TransportRoom {
    return { room: this.name, position: this.cursor.position(), presenceVersion: this.presence?.version ?? 0 };
  }

  /**
   * Applies one event of this room. True when it is news to pass on: a message
   * or gap above the cursor, a reset that applies, a newer presence; every hello.
   * Overlapping transports (a reopen, a resumed stream) make the rest duplicates.
   */
  accept(event: RoomEvent): boolean {
    switch (event.type) {
      case 'message':
        return this.cursor.acceptMessage(event);
      case 'hello':
        this.live.hello(event.head);
        this.cursor.onHello(event);
        return true;
      case 'presence':
        if (this.presence && event.version <= this.presence.version) return false;
        this.presence = event;
        return true;
      case 'gap':
        return this.cursor.acceptGap(event);
      case 'reset':
        return this.cursor.acceptReset(event);
    }
  }
}

export class RoomSet {
  /** In join order (a Map keeps insertion order). */
  private readonly map = new Map<string, RoomState>();
  private activeName: string;

  /** `first` becomes the active room. */
  constructor(first: RoomState) {
    this.map.set(first.name, first);
    this.activeName = first.name;
  }

  get active(): RoomState {
    // The active room is never removed without a successor (remove() keeps one).
    return this.map.get(this.activeName) as RoomState;
  }

  get names(): string[] {
    return [...this.map.keys()];
  }

  get size(): number {
    return this.map.size;
  }

  get(name: string): RoomState | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** Adds a room at the end (no-op for one already in); returns its state. */
  add(name: string, start: RoomStart = {}): RoomState {
    let room = this.map.get(name);
    if (room === undefined) {
      room = new RoomState(name, start);
      this.map.set(name, room);
    }
    return room;
  }

  /**
   * Removes a room; the active one passes to the first room left.
   * @throws ClientError bad_request for the last room: a client always has one.
   */
  remove(name: string): boolean {
    if (!this.map.has(name)) return false;
    if (this.map.size === 1) throw new ClientError('bad_request', `cannot leave ${name}, the only room`);
    this.map.delete(name);
    if (this.activeName === name) this.activeName = this.names[0] ?? name;
    return true;
  }

  /** Keeps only `room` (the state it had, if it was in), as the active room. */
  replaceBy(room: RoomState): void {
    this.map.clear();
    this.map.set(room.name, room);
    this.activeName = room.name;
  }

  /** @throws ClientError not_found when the room is not one of the set. */
  setActive(name: string): void {
    if (!this.map.has(name)) throw notIn(name);
    this.activeName = name;
  }

  /** @throws ClientError not_found when the room is not one of the set. */
  cursorOf(name: string): Cursor {
    const room = this.map.get(name);
    if (!room) throw notIn(name);
    return room.cursor.snapshot();
  }

  /** Every room as a transport opens it now, in join order. */
  transportRooms(): TransportRoom[] {
    return Array.from(this.map.values(), (r) => r.transportRoom());
  }
}

function notIn(room: string): ClientError {
  return new ClientError('not_found', `not in room ${room}`);
}
