import type { MessageEvent } from '../../protocol/index.js';
import { EncodedEvent } from './encoded-event.js';
import { Room } from './room.js';

export interface RoomRegistryOptions {
  /** Reads and encodes a room's current presence (the pacer's read). */
  readPresence: (room: string) => Promise<{ event: EncodedEvent; version: number }>;
}

/**
 * The hub's live rooms (those with a reader, a held poll or a request under
 * way), and the fan-out of the store's announcements to them: each event is
 * encoded once and handed to every subscription and held poll of its room.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly readPresence: RoomRegistryOptions['readPresence'];

  constructor(options: RoomRegistryOptions) {
    this.readPresence = options.readPresence;
  }

  /** The room, made live if it was not; each acquire needs one release. */
  acquire(name: string): Room {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = new Room(name);
      this.rooms.set(name, room);
    }
    room.refs++;
    return room;
  }

  release(room: Room): void {
    if (--room.refs <= 0 && this.rooms.get(room.name) === room) this.rooms.delete(room.name);
  }

  isLive(name: string): boolean {
    return this.rooms.has(name);
  }

  /**
   * The room's latest presence, encoded once and cached on the room; kept
   * current by the pacer while the room is live. Concurrent first readers
   * (a join storm) share one store read.
   */
  presence(room: Room): Promise<EncodedEvent> {
    if (room.presenceEvent !== undefined) return Promise.resolve(room.presenceEvent);
    room.presenceLoading ??= this.readPresence(room.name).then(
      ({ event, version }) => {
        room.presenceLoading = undefined;
        room.setPresence(event, version);
        return room.presenceEvent ?? event;
      },
      (err: unknown) => {
        room.presenceLoading = undefined;
        throw err;
      },
    );
    return room.presenceLoading;
  }

  /** New messages of a room, in seq order: encoded once, to every subscription and held poll. */
  deliverMessages(name: string, messages: readonly MessageEvent[]): void {
    const room = this.rooms.get(name);
    if (room === undefined || messages.length === 0) return;
    room.observeHead(messages[messages.length - 1]!.seq);
    const encoded = messages.map((m) => new EncodedEvent(m, true));
    for (const sub of room.subs) sub.onMessages(encoded);
    for (const w of room.waiters) w.onMessages(encoded);
  }

  /** Whether a presence change (of `version`, if known) concerns a live room that has not seen it. */
  presenceIsNew(name: string, version: number | undefined): boolean {
    const room = this.rooms.get(name);
    return room !== undefined && (version === undefined || version > room.presenceVersion);
  }

  /** One paced presence event of a room, encoded once, to every reader and held poll (if newer). */
  publishPresence(name: string, event: EncodedEvent, version: number): void {
    const room = this.rooms.get(name);
    if (room === undefined || !room.setPresence(event, version)) return;
    for (const sub of room.subs) sub.onPresence(event, version);
    for (const w of room.waiters) w.onPresence(event, version);
  }

  /** Answers every held poll at once (shutdown). */
  finishWaiters(): void {
    for (const room of this.rooms.values()) {
      for (const w of [...room.waiters]) w.finish();
    }
  }
}
