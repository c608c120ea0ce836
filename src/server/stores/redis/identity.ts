/**
 * Accounts and private rooms in Redis, shared by every node: a hash per
 * account, a set of account names, and per private room a set of members
 * plus a set of private rooms. Nothing is cached on a node, so a removed
 * account or rotated token is refused by every node at once.
 */
import type { Redis } from 'ioredis';
import { toStoreError } from './errors.js';
import { normalizeMembers, type AccountRecord, type IdentityStore, type RoomAccess } from '../identity-store.js';

export class RedisIdentity implements IdentityStore {
  private readonly redis: () => Redis;
  private readonly prefix: string;

  /** @param options.prefix the store's key prefix (default `rtchat:`). */
  constructor(options: { redis: () => Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'rtchat:';
  }

  private get accountsKey(): string {
    return `${this.prefix}accounts`;
  }
  private accountKey(name: string): string {
    return `${this.prefix}account:${name}`;
  }
  private get privateRoomsKey(): string {
    return `${this.prefix}private-rooms`;
  }
  private membersKey(room: string): string {
    return `${this.prefix}{${room}}:members`;
  }

  async open(): Promise<void> {}

  /** Redis trouble becomes `unavailable` (503), as for every store call. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toStoreError(err);
    }
  }

  private async rawPutAccount(r: AccountRecord): Promise<void> {
    await this.redis()
      .multi()
      .hset(this.accountKey(r.name), 'hash', r.hash, 'created', r.created, 'rotated', r.rotated)
      .sadd(this.accountsKey, r.name)
      .exec();
  }

  private async rawGetAccount(name: string): Promise<AccountRecord | undefined> {
    const [hash, created, rotated] = await this.redis().hmget(this.accountKey(name), 'hash', 'created', 'rotated');
    if (hash === null || hash === undefined) return undefined;
    return { name, hash, created: Number(created), rotated: Number(rotated) };
  }

  private async rawListAccounts(): Promise<AccountRecord[]> {
    const names = (await this.redis().smembers(this.accountsKey)).sort();
    const records = await Promise.all(names.map((n) => this.rawGetAccount(n)));
    return records.filter((r): r is AccountRecord => r !== undefined);
  }

  private async rawRemoveAccount(name: string): Promise<boolean> {
    const res = await this.redis().multi().del(this.accountKey(name)).srem(this.accountsKey, name).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  private async rawHasAccounts(): Promise<boolean> {
    return (await this.redis().scard(this.accountsKey)) > 0;
  }

  private async rawPutRoomAccess(access: RoomAccess): Promise<void> {
    const key = this.membersKey(access.room);
    const members = normalizeMembers(access.members);
    const m = this.redis().multi().sadd(this.privateRoomsKey, access.room).del(key);
    if (members.length > 0) m.sadd(key, ...members);
    await m.exec();
  }

  private async rawGetRoomAccess(room: string): Promise<RoomAccess | undefined> {
    const [isPrivate, members] = await Promise.all([
      this.redis().sismember(this.privateRoomsKey, room),
      this.redis().smembers(this.membersKey(room)),
    ]);
    return isPrivate === 1 ? { room, members: members.sort() } : undefined;
  }

  private async rawListRoomAccess(): Promise<RoomAccess[]> {
    const rooms = (await this.redis().smembers(this.privateRoomsKey)).sort();
    const all = await Promise.all(rooms.map((r) => this.rawGetRoomAccess(r)));
    return all.filter((a): a is RoomAccess => a !== undefined);
  }

  private async rawRemoveRoomAccess(room: string): Promise<boolean> {
    const res = await this.redis().multi().srem(this.privateRoomsKey, room).del(this.membersKey(room)).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  putAccount(r: AccountRecord): Promise<void> {
    return this.call(() => this.rawPutAccount(r));
  }
  getAccount(name: string): Promise<AccountRecord | undefined> {
    return this.call(() => this.rawGetAccount(name));
  }
  listAccounts(): Promise<AccountRecord[]> {
    return this.call(() => this.rawListAccounts());
  }
  removeAccount(name: string): Promise<boolean> {
    return this.call(() => this.rawRemoveAccount(name));
  }
  hasAccounts(): Promise<boolean> {
    return this.call(() => this.rawHasAccounts());
  }
  putRoomAccess(access: RoomAccess): Promise<void> {
    return this.call(() => this.rawPutRoomAccess(access));
  }
  getRoomAccess(room: string): Promise<RoomAccess | undefined> {
    return this.call(() => this.rawGetRoomAccess(room));
  }
  listRoomAccess(): Promise<RoomAccess[]> {
    return this.call(() => this.rawListRoomAccess());
  }
  removeRoomAccess(room: string): Promise<boolean> {
    return this.call(() => this.rawRemoveRoomAccess(room));
  }

  async close(): Promise<void> {}
}
