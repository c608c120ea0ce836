import {
  mergeReadMarker,
  normalizeMembers,
  type AccountRecord,
  type IdentityStore,
  type ReadMarker,
  type RoomAccess,
  type RoomReadMarker,
} from '../identity-store.js';

/** Accounts, private rooms and read markers in this process's memory (MemoryStore): gone on restart. */
export class MemoryIdentity implements IdentityStore {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly access = new Map<string, RoomAccess>();
  /** account → room → marker. */
  private readonly markers = new Map<string, Map<string, ReadMarker>>();

  async open(): Promise<void> {}

  async putAccount(record: AccountRecord): Promise<void> {
    this.accounts.set(record.name, { ...record });
  }

  async getAccount(name: string): Promise<AccountRecord | undefined> {
    const r = this.accounts.get(name);
    return r === undefined ? undefined : { ...r };
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return [...this.accounts.values()].map((r) => ({ ...r })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async removeAccount(name: string): Promise<boolean> {
    this.markers.delete(name);
    return this.accounts.delete(name);
  }

  async hasAccounts(): Promise<boolean> {
    return this.accounts.size > 0;
  }

  async putRoomAccess(access: RoomAccess): Promise<void> {
    this.access.set(access.room, { room: access.room, members: normalizeMembers(access.members) });
  }

  async getRoomAccess(room: string): Promise<RoomAccess | undefined> {
    const a = this.access.get(room);
    return a === undefined ? undefined : { room: a.room, members: [...a.members] };
  }

  async listRoomAccess(): Promise<RoomAccess[]> {
    return [...this.access.values()]
      .map((a) => ({ room: a.room, members: [...a.members] }))
      .sort((a, b) => (a.room < b.room ? -1 : 1));
  }

  async listRoomAccessOf(account: string): Promise<RoomAccess[]> {
    // In memory a filter over every private room is a few microseconds; no index to keep.
    return (await this.listRoomAccess()).filter((a) => a.members.includes(account));
  }

  async removeRoomAccess(room: string): Promise<boolean> {
    return this.access.delete(room);
  }

  async getReadMarker(account: string, room: string): Promise<ReadMarker | undefined> {
    const m = this.markers.get(account)?.get(room);
    return m === undefined ? undefined : { ...m };
  }

  async setReadMarker(account: string, room: string, marker: ReadMarker): Promise<ReadMarker> {
    let rooms = this.markers.get(account);
    if (rooms === undefined) this.markers.set(account, (rooms = new Map<string, ReadMarker>()));
    const next = mergeReadMarker(rooms.get(room), marker);
    rooms.set(room, next);
    return { ...next };
  }

  async listReadMarkers(account: string): Promise<RoomReadMarker[]> {
    return [...(this.markers.get(account) ?? new Map<string, ReadMarker>())]
      .map(([room, m]) => ({ room, seq: m.seq, epoch: m.epoch }))
      .sort((a, b) => (a.room < b.room ? -1 : 1));
  }

  async close(): Promise<void> {}
}
