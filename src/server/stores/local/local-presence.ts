import type { PresenceMember } from '../../../protocol/index.js';
import type { PresenceEntry, PresencePage, PresenceSnapshot } from '../store.js';

interface RoomPresence {
  version: number;
  /** Key → member, in insertion (join) order, which is `since` order: a rename keeps its place. */
  members: Map<string, PresenceEntry>;
}

/**
 * Presence of one process (memory and SQLite stores): who is in which room,
 * keyed by session (or a server-made key), with a version per room.
 *
 * A change costs O(1): it updates one entry and announces the new version
 * only (never the list); readers page what they need with `page`.
 *
 * Versions are `max(previous + 1, Date.now())`, and a room seen for the first
 * time starts at `Date.now()`. That keeps them growing on every change and, as
 * long as the clock does, above anything an earlier run of the server handed
 * out, without writing anything per presence change. (A room changing more
 * than 1000 times a second runs ahead of the clock for a while; a restart
 * within that lead could repeat a version, which only delays one update.)
 */
export class LocalPresence {
  private readonly rooms = new Map<string, RoomPresence>();
  private readonly announce: (room: string, version: number) => void;

  /** @param announce called with the room and its new version after every change. */
  constructor(announce: (room: string, version: number) => void) {
    this.announce = announce;
  }

  /**
   * Adds a member or updates its nick or transport. A refresh with the same
   * nick and via changes nothing; a member keeps its first `since`.
   */
  upsert(room: string, entry: PresenceEntry): void {
    const state = this.room(room);
    const current = state.members.get(entry.key);
    if (current !== undefined && current.nick === entry.nick && current.via === entry.via) return;
    const since = current === undefined ? entry.since : current.since;
    state.members.set(entry.key, { key: entry.key, nick: entry.nick, via: entry.via, since });
    this.changed(room, state);
  }

  remove(room: string, key: string): void {
    const state = this.rooms.get(room);
    if (state === undefined || !state.members.delete(key)) return;
    this.changed(room, state);
  }

  /** The count and one page of members, oldest first: O(offset + limit). */
  page(room: string, page: PresencePage): PresenceSnapshot {
    const state = this.room(room);
    const members: PresenceMember[] = [];
    const end = page.offset + page.limit;
    let i = 0;
    if (page.limit > 0 && page.offset < state.members.size) {
      for (const entry of state.members.values()) {
        if (i >= end) break;
        if (i++ < page.offset) continue;
        members.push({ nick: entry.nick, via: entry.via, since: entry.since });
      }
    }
    return { room, version: state.version, count: state.members.size, members };
  }

  private room(room: string): RoomPresence {
    let state = this.rooms.get(room);
    if (state === undefined) {
      state = { version: Date.now(), members: new Map() };
      this.rooms.set(room, state);
    }
    return state;
  }

  private changed(room: string, state: RoomPresence): void {
    state.version = Math.max(state.version + 1, Date.now());
    this.announce(room, state.version);
  }
}
