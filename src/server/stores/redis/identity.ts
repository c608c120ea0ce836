/**
 * Accounts, private rooms and read markers in Redis, shared by every node: a
 * hash per account, a set of account names, per private room a set of
 * members plus a set of private rooms, and per account a hash of read
 * markers (room → `seq:epoch`), plus per account the set of its private
 * rooms (an index for `GET /dms`; the member sets stay the truth). Nothing is cached on a node, so a removed
 * account or rotated token is refused by every node at once.
 */
import type { Redis } from 'ioredis';
import { toStoreError } from './errors.js';
import { LuaScript } from './lua-script.js';
import {
  normalizeMembers,
  type AccountRecord,
  type IdentityStore,
  type ReadMarker,
  type RoomAccess,
  type RoomReadMarker,
} from '../identity-store.js';

/**
 * mergeReadMarker's rule, atomic in Redis: two nodes serving one account
 * cannot move its marker back. KEYS[1] the account's marker hash; ARGV room,
 * seq, epoch. Returns the stored `seq:epoch`. Epochs hold no ':' (16 hex).
 */
const SET_READ_MARKER = new LuaScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local seq, epoch = string.match(cur, '^(%d+):(.*)$')
  if epoch == ARGV[3] and tonumber(seq) >= tonumber(ARGV[2]) then return cur end
end
local v = ARGV[2] .. ':' .. ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], v)
return v
`);

function parseMarker(value: string): ReadMarker {
  const i = value.indexOf(':');
  return { seq: Number(value.slice(0, i)), epoch: value.slice(i + 1) };
}

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
  private markersKey(account: string): string {
    return `${this.prefix}read:${account}`;
  }
  private accountRoomsKey(account: string): string {
    return `${this.prefix}account-rooms:${account}`;
  }
  /** Set once the account-rooms index covers rooms made before it existed. */
  private get accountRoomsBuiltKey(): string {
    return `${this.prefix}account-rooms-built`;
  }
  private indexBuilt = false;

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
    const res = await this.redis()
      .multi()
      .del(this.accountKey(name))
      .srem(this.accountsKey, name)
      .del(this.markersKey(name))
      .exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  private async rawHasAccounts(): Promise<boolean> {
    return (await this.redis().scard(this.accountsKey)) > 0;
  }

  private async rawPutRoomAccess(access: RoomAccess): Promise<void> {
    const key = this.membersKey(access.room);
    const members = normalizeMembers(access.members);
    const before = await this.redis().smembers(key);
    const m = this.redis().multi().sadd(this.privateRoomsKey, access.room).del(key);
    if (members.length > 0) m.sadd(key, ...members);
    for (const gone of before) if (!members.includes(gone)) m.srem(this.accountRoomsKey(gone), access.room);
    for (const name of members) m.sadd(this.accountRoomsKey(name), access.room);
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
    const before = await this.redis().smembers(this.membersKey(room));
    const m = this.redis().multi().srem(this.privateRoomsKey, room).del(this.membersKey(room));
    for (const name of before) m.srem(this.accountRoomsKey(name), room);
    const res = await m.exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  /**
   * The index, then each room's member set, which decides: a stale index
   * entry (a change racing another) never shows a room to a non-member.
   * Rooms made before the index existed are added to it once, on first use.
   */
  private async rawListRoomAccessOf(account: string): Promise<RoomAccess[]> {
    if (!this.indexBuilt) {
      if ((await this.redis().exists(this.accountRoomsBuiltKey)) === 0) {
        const m = this.redis().multi();
        for (const a of await this.rawListRoomAccess()) {
          for (const name of a.members) m.sadd(this.accountRoomsKey(name), a.room);
        }
        await m.set(this.accountRoomsBuiltKey, '1').exec();
      }
      this.indexBuilt = true;
    }
    const rooms = (await this.redis().smembers(this.accountRoomsKey(account))).sort();
    const all = await Promise.all(rooms.map((r) => this.rawGetRoomAccess(r)));
    return all.filter((a): a is RoomAccess => a !== undefined && a.members.includes(account));
  }

  private async rawSetReadMarker(account: string, room: string, m: ReadMarker): Promise<ReadMarker> {
    const stored = await SET_READ_MARKER.run(this.redis(), [this.markersKey(account)], [room, m.seq, m.epoch]);
    if (typeof stored !== 'string') throw new Error('read marker script returned no marker');
    return parseMarker(stored);
  }

  private async rawListReadMarkers(account: string): Promise<RoomReadMarker[]> {
    const all = await this.redis().hgetall(this.markersKey(account));
    return Object.entries(all)
      .map(([room, v]) => ({ room, ...parseMarker(v) }))
      .sort((a, b) => (a.room < b.room ? -1 : 1));
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
  listRoomAccessOf(account: string): Promise<RoomAccess[]> {
    return this.call(() => this.rawListRoomAccessOf(account));
  }
  removeRoomAccess(room: string): Promise<boolean> {
    return this.call(() => this.rawRemoveRoomAccess(room));
  }

  getReadMarker(account: string, room: string): Promise<ReadMarker | undefined> {
    return this.call(async () => {
      const v = await this.redis().hget(this.markersKey(account), room);
      return v === null ? undefined : parseMarker(v);
    });
  }
  setReadMarker(account: string, room: string, marker: ReadMarker): Promise<ReadMarker> {
    return this.call(() => this.rawSetReadMarker(account, room, marker));
  }
  listReadMarkers(account: string): Promise<RoomReadMarker[]> {
    return this.call(() => this.rawListReadMarkers(account));
  }

  async close(): Promise<void> {}
}
