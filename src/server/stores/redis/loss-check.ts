/**
 * After Redis comes back, a room whose head is now below what this node saw
 * under the same epoch has lost its tail (an AOF with `appendfsync everysec`,
 * an RDB rollback, a replica promoted). Its seqs would be handed out again,
 * and a client that saw the lost messages could take new ones for old. Such
 * a room gets a new epoch, so every client holding a cursor starts over.
 */
import type { Redis } from 'ioredis';
import type { RoomState } from '../store.js';
import { newEpoch } from '../epoch.js';
import type { KeySpace } from './keys.js';
import { LuaScript } from './lua-script.js';
import { ROTATE_EPOCH_LUA } from './scripts.js';

const ROTATE = new LuaScript(ROTATE_EPOCH_LUA);

export interface LossCheckOptions {
  redis: Redis;
  keys: KeySpace;
  /** The last state this node saw per room. */
  known: Iterable<RoomState>;
}

/** Returns the rooms that got a new epoch. */
export async function rotateLostEpochs(options: LossCheckOptions): Promise<string[]> {
  const { redis, keys } = options;
  const known = [...options.known];
  const now = await Promise.all(known.map((s) => redis.hmget(keys.room(s.room).meta, 'epoch', 'head')));
  const rotated: string[] = [];
  await Promise.all(
    known.map(async (seen, i) => {
      const [epoch, head] = now[i] ?? [];
      if (epoch !== seen.epoch || head === null || head === undefined || Number(head) >= seen.head) return;
      const done = await ROTATE.run(redis, [keys.room(seen.room).meta], [epoch, head, newEpoch()]);
      if (done === 1) rotated.push(seen.room);
    }),
  );
  return rotated;
}
