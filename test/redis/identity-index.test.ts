/**
 * The Redis identity's index of an account's private rooms (what GET /dms
 * reads): rooms made before the index existed are found once it is first
 * used, and a stale index entry never shows a room to a non-member.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/server/stores/redis/redis-store.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { stopIfStarted } from '../helpers/started.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await stopIfStarted(redis, (r) => r.cleanup());
});

describe('Redis identity: account-rooms index', () => {
  it('covers rooms written before it existed, and trusts the member sets over it', async () => {
    const prefix = `ix${randomBytes(4).toString('hex')}:`;
    const raw = new Redis(redis.url);
    const store = new RedisStore({ url: redis.url, prefix });
    try {
      // What an older rtchat wrote: the private-rooms set and a member set, no index.
      await raw.sadd(`${prefix}private-rooms`, 'ops');
      await raw.sadd(`${prefix}{ops}:members`, 'ann', 'bob');
      // A stale entry, as a change racing another could leave.
      await raw.sadd(`${prefix}account-rooms:eve`, 'ops');
      await store.open();
      expect(await store.identity.listRoomAccessOf('ann')).toEqual([{ room: 'ops', members: ['ann', 'bob'] }]);
      expect(await store.identity.listRoomAccessOf('eve')).toEqual([]);
    } finally {
      await store.close();
      raw.disconnect();
    }
  });
});
