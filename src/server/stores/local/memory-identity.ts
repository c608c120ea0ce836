import { normalizeMembers, type AccountRecord, type IdentityStore, type RoomAccess } from '../identity-store.js';

/** Accounts and private rooms in this process's memory (MemoryStore): gone on restart. */
export class MemoryIdentity implements IdentityStore {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly access = new Map<string, RoomAccess>();

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

  async removeRoomAccess(room: string): Promise<boolean> {
    return this.access.delete(room);
  }

  async close(): Promise<void> {}
}
