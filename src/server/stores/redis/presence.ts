/**
 * Presence shared across nodes. Each node holds the members of its own
 * clients under a lease (an entry in one zset, renewed every `refreshMs`):
 * idle members cost nothing per member. A node whose lease has expired is
 * dead to the others; any node drops its holds in bounded batches, so the
 * members of a node that died leave after `ttlMs`. A node that finds its own
 * lease expired (Redis was away too long) takes a new name and holds its
 * members again. Versions come from an INCR in Redis: they never go down.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PresenceEntry, PresencePage, PresenceSnapshot } from '../store.js';
import type { KeySpace } from './keys.js';
import { LuaScript } from './lua-script.js';
import { asArray, asInt, parseMemberJson } from './parse.js';
import {
  PRESENCE_DROP_NODE_LUA,
  PRESENCE_LEASE_LUA,
  PRESENCE_READ_LUA,
  PRESENCE_REMOVE_LUA,
  PRESENCE_START_LEASE_LUA,
  PRESENCE_UPSERT_LUA,
} from './presence-scripts.js';

const UPSERT = new LuaScript(PRESENCE_UPSERT_LUA);
const REMOVE = new LuaScript(PRESENCE_REMOVE_LUA);
const DROP_NODE = new LuaScript(PRESENCE_DROP_NODE_LUA);
const READ = new LuaScript(PRESENCE_READ_LUA);
const LEASE = new LuaScript(PRESENCE_LEASE_LUA);
const START_LEASE = new LuaScript(PRESENCE_START_LEASE_LUA);

/** Holds dropped per script call: keeps each call short, so Redis stays responsive. */
const DROP_BATCH = 500;

export interface PresenceKeeperOptions {
  redis: () => Redis;
  keys: KeySpace;
  /** How long a lease lasts without renewal, in ms. */
  ttlMs: number;
}

export class PresenceKeeper {
  private readonly opts: PresenceKeeperOptions;
  /** Members this node's hub holds, to hold again under a new lease: room → key → member. */
  private readonly local = new Map<string, Map<string, PresenceEntry>>();
  /** Names this node's holds; replaced when its lease was lost. */
  private node = newNodeName();
  private leaseStarted: Promise<unknown> | undefined;

  constructor(options: PresenceKeeperOptions) {
    this.opts = options;
  }

  async upsert(room: string, entry: PresenceEntry): Promise<void> {
    let members = this.local.get(room);
    if (members === undefined) this.local.set(room, (members = new Map<string, PresenceEntry>()));
    members.set(entry.key, entry);
    await this.hold(room, entry);
  }

  async remove(room: string, key: string): Promise<void> {
    const members = this.local.get(room);
    members?.delete(key);
    if (members?.size === 0) this.local.delete(room);
    const k = this.opts.keys.room(room);
    const keys = [k.presenceMembers, k.presenceCounts, k.presenceOrder, k.presenceVersion, k.presenceHolds(this.node)];
    await REMOVE.run(this.opts.redis(), keys, [room, key, this.opts.keys.channel]);
  }

  /** The count and one page of members: O(log n + limit). */
  async read(room: string, page: PresencePage): Promise<PresenceSnapshot> {
    const k = this.opts.keys.room(room);
    const keys = [k.presenceMembers, k.presenceOrder, k.presenceVersion];
    const reply = asArray(await READ.run(this.opts.redis(), keys, [page.offset, page.limit]), 'presence');
    return {
      room,
      version: asInt(reply[0], 'presence version'),
      count: asInt(reply[1], 'presence count'),
      members: parseMemberJson(reply.slice(2)),
    };
  }

  /**
   * Renews this node's lease (one command, whatever the number of members),
   * holds everything again under a new name if it had expired, and drops the
   * holds of nodes whose lease expired.
   */
  async refresh(): Promise<void> {
    const redis = this.opts.redis();
    await this.startLease();
    const reply = asArray(
      await LEASE.run(redis, [this.opts.keys.presenceNodes], [this.node, this.opts.ttlMs]),
      'lease',
    );
    if (asInt(reply[0], 'lease') === 0) await this.rename();
    for (const dead of asArray(reply[1], 'dead nodes')) {
      if (typeof dead === 'string' && dead !== this.node) await this.dropNode(dead);
    }
  }

  /** Drops every hold of this node (shutdown). */
  async removeAll(): Promise<void> {
    const old = this.node;
    const rooms = [...this.local.keys()];
    this.local.clear();
    await this.dropNode(old, rooms);
  }

  private async hold(room: string, e: PresenceEntry): Promise<void> {
    await this.startLease();
    const redis = this.opts.redis();
    const k = this.opts.keys.room(room);
    const keys = [k.presenceMembers, k.presenceCounts, k.presenceOrder, k.presenceVersion, k.presenceHolds(this.node)];
    const args = [room, e.key, e.nick, e.via, e.since, this.opts.keys.channel];
    await Promise.all([UPSERT.run(redis, keys, args), redis.sadd(this.opts.keys.nodeRooms(this.node), room)]);
  }

  private startLease(): Promise<unknown> {
    if (this.leaseStarted === undefined) {
      const started = START_LEASE.run(this.opts.redis(), [this.opts.keys.presenceNodes], [this.node, this.opts.ttlMs]);
      this.leaseStarted = started;
      started.catch(() => {
        if (this.leaseStarted === started) this.leaseStarted = undefined;
      });
    }
    return this.leaseStarted;
  }

  /** The lease expired while Redis was away: hold every member again under a new name, then drop the old holds. */
  private async rename(): Promise<void> {
    const old = this.node;
    this.node = newNodeName();
    this.leaseStarted = undefined;
    const jobs: Promise<void>[] = [];
    for (const [room, members] of this.local) {
      for (const entry of members.values()) jobs.push(this.hold(room, entry));
    }
    await Promise.all(jobs);
    await this.dropNode(old, [...this.local.keys()]);
  }

  /** Drops a node's holds room by room, in bounded batches; the members it alone held leave. */
  private async dropNode(node: string, known: readonly string[] = []): Promise<void> {
    const redis = this.opts.redis();
    const roomsKey = this.opts.keys.nodeRooms(node);
    const rooms = new Set([...known, ...(await redis.smembers(roomsKey))]);
    for (const room of rooms) {
      const k = this.opts.keys.room(room);
      const keys = [k.presenceMembers, k.presenceCounts, k.presenceOrder, k.presenceVersion, k.presenceHolds(node)];
      let left = 1;
      while (left > 0)
        left = asInt(await DROP_NODE.run(redis, keys, [room, this.opts.keys.channel, DROP_BATCH]), 'left');
    }
    await Promise.all([redis.del(roomsKey), redis.zrem(this.opts.keys.presenceNodes, node)]);
  }
}

function newNodeName(): string {
  return randomBytes(6).toString('hex');
}
