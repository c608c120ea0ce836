/**
 * The presence scripts. A member is present while at least one node holds it;
 * a node holds members under a lease it renews, so keeping thousands of idle
 * members costs one command per node per refresh, not one per member.
 *
 * Per room (one hash slot): `pm` hash key → member json, `pc` hash key →
 * number of nodes holding it, `po` zset key scored by `since` (the order and
 * the count), `pv` the version, and `ph:<node>` the set of keys that node
 * holds. Every change costs O(log members) and announces
 * `["p", room, version, count]`: never the list.
 */
import { NOW } from './scripts.js';

// KEYS[1] pm, KEYS[2] pc, KEYS[3] po, KEYS[4] pv.
const COMMON = `${NOW}
local pm, pc, po, pv = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local function announce(room, channel)
  -- Seeded from the clock so the version keeps growing even if Redis lost the key.
  if redis.call('EXISTS', pv) == 0 then redis.call('SET', pv, now_ms()) end
  local version = redis.call('INCR', pv)
  local count = redis.call('ZCARD', po)
  redis.call('PUBLISH', channel, '[' .. '"p",' .. cjson.encode(room) .. ',' .. version .. ',' .. count .. ']')
end
local function drop(key)
  if redis.call('HINCRBY', pc, key, -1) > 0 then return false end
  redis.call('HDEL', pc, key)
  redis.call('HDEL', pm, key)
  redis.call('ZREM', po, key)
  return true
end
`;

/**
 * KEYS: pm, pc, po, pv, ph:<node>. ARGV: room, key, nick, via, since, channel.
 * Holds the member for this node; a new nick or via is stored (a member keeps
 * its first `since`). Returns 1 when the room's presence changed.
 */
export const PRESENCE_UPSERT_LUA = `${COMMON}
local room, key, nick, via, since, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
if redis.call('SADD', KEYS[5], key) == 1 then redis.call('HINCRBY', pc, key, 1) end
local prev = redis.call('HGET', pm, key)
if prev then
  local p = cjson.decode(prev)
  if p.nick == nick and p.via == via then return 0 end
  since = p.since
else
  redis.call('ZADD', po, since, key)
end
redis.call('HSET', pm, key, cjson.encode({nick = nick, via = via, since = since}))
announce(room, channel)
return 1
`;

/** KEYS: pm, pc, po, pv, ph:<node>. ARGV: room, key, channel. Drops this node's hold. */
export const PRESENCE_REMOVE_LUA = `${COMMON}
local room, key, channel = ARGV[1], ARGV[2], ARGV[3]
if redis.call('SREM', KEYS[5], key) == 0 then return 0 end
if not drop(key) then return 0 end
announce(room, channel)
return 1
`;

/**
 * KEYS: pm, pc, po, pv, ph:<dead node>. ARGV: room, channel, batch size.
 * Drops up to a batch of a dead node's holds in one room (bounded, so Redis
 * is never blocked for long); returns how many holds are left.
 */
export const PRESENCE_DROP_NODE_LUA = `${COMMON}
local room, channel, batch = ARGV[1], ARGV[2], tonumber(ARGV[3])
local keys = redis.call('SPOP', KEYS[5], batch)
local changed = false
for i = 1, #keys do
  if drop(keys[i]) then changed = true end
end
if changed then announce(room, channel) end
return redis.call('SCARD', KEYS[5])
`;

/**
 * KEYS: pm, po, pv. ARGV: offset, limit. Returns {version, count, member json…}
 * for members offset .. offset+limit-1 in `since` order: O(log n + limit).
 */
export const PRESENCE_READ_LUA = `
local pm, po, pv = KEYS[1], KEYS[2], KEYS[3]
local offset, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {tonumber(redis.call('GET', pv)) or 0, redis.call('ZCARD', po)}
if limit <= 0 then return out end
local keys = redis.call('ZRANGE', po, offset, offset + limit - 1)
if #keys == 0 then return out end
local vals = redis.call('HMGET', pm, unpack(keys))
for i = 1, #vals do
  if vals[i] then out[#out + 1] = vals[i] end
end
return out
`;

/**
 * KEYS: the nodes zset. ARGV: node, ttl ms. Renews the node's lease if it is
 * still alive (returns 1); an expired or missing lease is not renewed
 * (returns 0): other nodes may be dropping its holds, so the node must hold
 * its members again under a new name. Also returns the expired nodes.
 */
export const PRESENCE_LEASE_LUA = `${NOW}
local nodes, node, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local score = redis.call('ZSCORE', nodes, node)
local alive = 0
if score and tonumber(score) > now then
  redis.call('ZADD', nodes, now + ttl, node)
  alive = 1
end
local dead = redis.call('ZRANGEBYSCORE', nodes, '-inf', now, 'LIMIT', 0, 16)
return {alive, dead}
`;

/** KEYS: the nodes zset. ARGV: node, ttl ms. Starts a node's lease. */
export const PRESENCE_START_LEASE_LUA = `${NOW}
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
return 1
`;
