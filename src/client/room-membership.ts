/**
 * Which rooms the client is in, kept in step with the one transport that
 * carries them all: a WebSocket joins and leaves rooms live (join/leave
 * frames on its one socket); SSE and long polling are reopened with the new
 * room list (the lifecycle's live reopen: the new stream opens from every
 * room's cursor before the old one closes, and the cursors drop the overlap).
 * Offline, nothing is sent: the next connect opens with the set as it is then.
 */
import { validateRoom } from '../protocol/index.js';
import { toClientError } from './errors.js';
import type { Lifecycle } from './lifecycle.js';
import { RoomSet, RoomState, type RoomStart } from './room-set.js';
import type { Cursor } from './model.js';
import type { Transport } from './transports/transport.js';

export interface RoomMembershipOptions {
  rooms: RoomSet;
  life: Lifecycle;
  /** The client's `newOnly`, the default for rooms joined later. */
  newOnly: boolean;
  onWarning: (warning: string) => void;
}

/** Runs a protocol validation, turning its ProtocolError into a ClientError with the same code. */
export function checked<T>(validate: () => T): T {
  try {
    return validate();
  } catch (err) {
    throw toClientError(err, 'bad_request');
  }
}

export class RoomMembership {
  constructor(private readonly o: RoomMembershipOptions) {}

  /** Replaces every room by `room` (a room already in keeps its position). */
  async joinRoom(room: string): Promise<void> {
    const { rooms, life } = this.o;
    const next = checked(() => validateRoom(room));
    if (rooms.size === 1 && rooms.active.name === next) return;
    // A room already joined keeps its cursor: its history was delivered already.
    const kept = rooms.get(next);
    const state = kept ?? new RoomState(next, { newOnly: this.o.newOnly });
    if (!kept) state.live.joining();
    rooms.replaceBy(state);
    try {
      await life.reopen(life.via, false);
    } catch (err) {
      // The old transport serves the old rooms: never keep it.
      life.restart(`joining ${next}: ${toClientError(err).message}`);
    }
  }

  /**
   * Adds a room at the end of the list; resolves once its hello arrived (ws)
   * or the reopen finished (sse, longpoll), at once when offline or already in.
   * @throws ClientError with the server's code (not_found, invalid_room,
   *   nick_taken, too_many, …) or a network code; the room is then not added.
   */
  async addRoom(room: string, start: RoomStart = {}): Promise<void> {
    const { rooms } = this.o;
    const name = checked(() => validateRoom(room));
    if (rooms.has(name)) return;
    const state = rooms.add(name, { cursor: start.cursor, newOnly: start.newOnly ?? this.o.newOnly });
    state.live.joining();
    try {
      await this.follow(name);
    } catch (err) {
      if (rooms.has(name) && rooms.size > 1) rooms.remove(name);
      throw toClientError(err);
    }
  }

  /**
   * Leaves a room (its events are dropped from now on); the active room passes
   * to the first one left. No-op for a room not in.
   * @throws ClientError bad_request for the last room (use joinRoom to replace it).
   */
  async removeRoom(room: string): Promise<void> {
    if (!this.o.rooms.remove(room)) return;
    try {
      await this.follow(room);
    } catch (err) {
      // The old transport still serves the room left: never keep it.
      this.o.life.restart(`leaving ${room}: ${toClientError(err).message}`);
    }
  }

  /**
   * A transport that was opened while rooms were added or removed may serve
   * another list than the set: joins/leaves the difference, or reopens.
   */
  reconcile(t: Transport): void {
    const served = t.rooms();
    const wanted = this.o.rooms.names;
    const missing = wanted.filter((r) => !served.includes(r));
    const extra = served.filter((r) => !wanted.includes(r));
    if (missing.length === 0 && extra.length === 0) return;
    const warn = (err: unknown): void => this.o.onWarning(`rooms not in step: ${toClientError(err).message}`);
    const life = this.o.life;
    if (!t.join || !t.leave) {
      life.reopen(life.via, false).catch(warn);
      return;
    }
    for (const r of extra) t.leave(r);
    for (const r of missing) {
      const state = this.o.rooms.get(r);
      if (state) t.join(state.transportRoom()).catch(warn);
    }
  }

  /** Brings the current transport in line with the set after `room` was added or removed. */
  private async follow(room: string): Promise<void> {
    const life = this.o.life;
    const t = life.current;
    if (!t) return;
    if (!t.join || !t.leave) return life.reopen(life.via, false);
    const state = this.o.rooms.get(room);
    if (state) await t.join(state.transportRoom());
    else t.leave(room);
  }
}

/**
 * The client's first rooms: `[room, ...rooms]` without duplicates, `room`
 * active; `cursor` (else `cursors[room]`) for `room`, `cursors[r]` for the others.
 * @throws ClientError invalid_room for a malformed name.
 */
export function initialRooms(o: {
  room: string;
  rooms?: string[] | undefined;
  cursor?: Partial<Cursor> | undefined;
  cursors?: Record<string, Partial<Cursor>> | undefined;
  newOnly?: boolean | undefined;
}): RoomSet {
  const first = checked(() => validateRoom(o.room));
  const newOnly = o.newOnly ?? false;
  const set = new RoomSet(new RoomState(first, { cursor: o.cursor ?? o.cursors?.[first], newOnly }));
  for (const room of o.rooms ?? [])
    set.add(
      checked(() => validateRoom(room)),
      { cursor: o.cursors?.[room], newOnly },
    );
  return set;
}
