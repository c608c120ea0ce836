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
  /** ZSET of holds `<node>:<presence key>` scored by expiry (ms). */
  presenceHolders: string;
  /** Hash of presence key → member json. */
  presenceMembers: string;
  /** Hash of presence key → number of nodes holding it. */
  presenceCounts: string;
  /** Presence version counter (INCR; never goes down). */
  presenceVersion: string;
}

export interface KeySpace {
  /** Set of every room that was ever touched. */
  rooms: string;
  /** Set of rooms that hold presence entries (what the sweeper walks). */
  presenceRooms: string;
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
    presenceRooms: `${prefix}presence-rooms`,
    channel: `${prefix}bus`,
    room(room: string): RoomKeys {
      const base = `${prefix}{${room}}:`;
      return {
        meta: base + 'meta',
        log: base + 'log',
        presenceHolders: base + 'ph',
        presenceMembers: base + 'pm',
        presenceCounts: base + 'pc',
        presenceVersion: base + 'pv',
      };
    },
    cid(room, session, cid) {
      // Neither a session nor a cid may hold ':', so the two forms cannot collide.
      return session === undefined ? `${prefix}{${room}}:cid:a:${cid}` : `${prefix}{${room}}:cid:s:${session}:${cid}`;
    },
  };
}
