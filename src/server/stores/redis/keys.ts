/**
 * Redis key names. Every per-room key carries the room in a `{hash tag}` so
 * one room's keys share a slot, which a Lua script touching them needs on a
 * cluster; the global sets and the bus channel are the only cross-room keys.
 */
export interface RoomKeys {
  /** Hash: epoch, head, tail. */
  meta: string;
  /** Stream: one entry per message, id `<seq>-0`. */
  log: string;
  /** Hash of presence key → member json. */
  presenceMembers: string;
  /** Hash of presence key → number of nodes holding it. */
  presenceCounts: string;
  /** ZSET of presence keys scored by `since`: the member order and the count. */
  presenceOrder: string;
  /** Presence version counter (INCR; never goes down). */
  presenceVersion: string;
  /** Set of the presence keys one node holds in this room. */
  presenceHolds(node: string): string;
}

export interface KeySpace {
  /** Set of every room that was ever touched. */
  rooms: string;
  /** ZSET of nodes holding presence, scored by lease expiry (ms, Redis clock). */
  presenceNodes: string;
  /** Set of the rooms where one node holds members (what is dropped when it dies). */
  nodeRooms(node: string): string;
  /** The pub/sub channel every node reads, one reader per node. */
  channel: string;
  room(room: string): RoomKeys;
  /** Idempotency key of one send: by (room, session, cid), or (room, cid) when anonymous. */
  cid(room: string, session: string | undefined, cid: string): string;
}

/** @param prefix Key prefix, default `rtchat:` (lets several deployments share one Redis). */
export function keySpace(prefix = 'rtchat:'): KeySpace {
  return {
    rooms: `${prefix}rooms`,
    presenceNodes: `${prefix}presence-nodes`,
    nodeRooms: (node) => `${prefix}node:${node}:rooms`,
    channel: `${prefix}bus`,
    room(room: string): RoomKeys {
      const base = `${prefix}{${room}}:`;
      return {
        meta: base + 'meta',
        log: base + 'log',
        presenceMembers: base + 'pm',
        presenceCounts: base + 'pc',
        presenceOrder: base + 'po',
        presenceVersion: base + 'pv',
        presenceHolds: (node) => `${base}ph:${node}`,
      };
    },
    cid(room, session, cid) {
      // Neither a session nor a cid may hold ':', so the two forms cannot collide.
      return session === undefined ? `${prefix}{${room}}:cid:a:${cid}` : `${prefix}{${room}}:cid:s:${session}:${cid}`;
    },
  };
}
