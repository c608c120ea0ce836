/**
 * Presence shared across nodes. Each node holds the members of its own
 * clients with an expiring entry per (node, member) in a per-room ZSET and
 * refreshes them every `refreshMs`; a member is present while any node holds
 * it. Any node sweeps expired holds, so the members of a node that died leave
 * after `ttlMs`. Versions come from an INCR in Redis: they never go down.
 */
import type { Redis } from 'ioredis';
import type { PresenceEntry, PresenceSnapshot } from '../store.js';
import type { KeySpace } from './keys.js';
import { LuaScript } from './lua-script.js';
import { asArray, asInt, parseMemberJson } from './parse.js';
import { PRESENCE_REMOVE_LUA, PRESENCE_SWEEP_LUA, PRESENCE_UPSERT_LUA } from './scripts.js';

const UPSERT = new LuaScript(PRESENCE_UPSERT_LUA);
const REMOVE = new LuaScript(PRESENCE_REMOVE_LUA);
const SWEEP = new LuaScript(PRESENCE_SWEEP_LUA);

export interface PresenceKeeperOptions {
  redis: () => Redis;
  keys: KeySpace;
  /** Names this node's holds. */
  nodeId: string;
  ttlMs: number;
}

export class PresenceKeeper {
  private readonly opts: PresenceKeeperOptions;
  /** Members this node's hub holds, to refresh: room → key → member. */
  private readonly local = new Map<string, Map<string, PresenceEntry>>();

  constructor(options: PresenceKeeperOptions) {
    this.opts = options;
  }

  private roomKeys(room: string): string[] {
    const k = this.opts.keys.room(room);
    return [k.presenceHolders, k.presenceMembers, k.presenceCounts, k.presenceVersion, this.opts.keys.presenceRooms];
  }

  async upsert(room: string, entry: PresenceEntry): Promise<void> {
    let members = this.local.get(room);
    if (members === undefined) this.local.set(room, (members = new Map()));
    const known = members.get(entry.key);
    // The hub re-upserts unchanged members as a keep-alive: that is a touch.
    const mode = known !== undefined && known.nick === entry.nick && known.via === entry.via ? 'touch' : 'upsert';
    members.set(entry.key, entry);
    await this.hold(room, entry, mode);
  }

  async remove(room: string, key: string): Promise<void> {
    const members = this.local.get(room);
    members?.delete(key);
    if (members?.size === 0) this.local.delete(room);
    await REMOVE.run(this.opts.redis(), this.roomKeys(room), [room, key, this.opts.nodeId, this.opts.keys.channel]);
  }

  /** Sweeps the room and reads its snapshot. */
  async read(room: string): Promise<PresenceSnapshot> {
    const reply = asArray(await SWEEP.run(this.opts.redis(), this.roomKeys(room), [room, this.opts.keys.channel]), 'presence');
    return { room, version: asInt(reply[0], 'presence version'), members: parseMemberJson(reply.slice(1)) };
  }

  /**
   * Extends this node's holds (re-adding any that expired while Redis was
   * away) and sweeps every room's expired ones.
   */
  async refresh(): Promise<void> {
    const jobs: Promise<unknown>[] = [];
    for (const [room, members] of this.local) {
      for (const entry of members.values()) jobs.push(this.hold(room, entry, 'touch'));
    }
    const redis = this.opts.redis();
    const rooms = await redis.smembers(this.opts.keys.presenceRooms);
    for (const room of rooms) jobs.push(SWEEP.run(redis, this.roomKeys(room), [room, this.opts.keys.channel]));
    await Promise.all(jobs);
  }

  private hold(room: string, e: PresenceEntry, mode: 'upsert' | 'touch'): Promise<unknown> {
    const args = [room, e.key, this.opts.nodeId, e.nick, e.via, e.since, this.opts.ttlMs, this.opts.keys.channel, mode];
    return UPSERT.run(this.opts.redis(), this.roomKeys(room), args);
  }
}
