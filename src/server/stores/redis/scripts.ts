/**
 * The Lua scripts that make Redis the single source of order. Each one runs
 * atomically, so two nodes can never hand out the same seq, leave a hole, or
 * disagree about a presence version. Timestamps come from Redis `TIME`, one
 * clock for every node.
 *
 * Bus payloads are compact JSON arrays:
 *   ["m", room, epoch, [[seq, ts, nick, cid, text], …]]   committed messages
 *   ["p", room, version, [member, …]]                       presence snapshot
 */

const NOW = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * KEYS: meta, log, rooms set, then one idempotency key per keyed send.
 * ARGV: room, epoch candidate, retain, cid ttl ms, channel, n, then per send:
 *   key index (0 = none), cid, nick, text.
 * Returns {epoch, head, tail, {{status, seq, ts, nick}, …}}; status 0 created,
 * 1 duplicate (same text), 2 conflict (other text).
 */
export const APPEND_LUA = `${NOW}
local meta, log = KEYS[1], KEYS[2]
local room = ARGV[1]
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('HSET', meta, 'epoch', epoch, 'head', 0, 'tail', 1)
  redis.call('SADD', KEYS[3], room)
end
local head = tonumber(redis.call('HGET', meta, 'head')) or 0
local retain = tonumber(ARGV[3])
local ttl = ARGV[4]
local n = tonumber(ARGV[6])
local ts = now_ms()
local out, pub = {}, {}
for i = 0, n - 1 do
  local b = 7 + i * 4
  local ki = tonumber(ARGV[b])
  local cid, nick, text = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
  local prev = false
  if ki > 0 then prev = redis.call('GET', KEYS[ki]) end
  if prev then
    local pseq, pts, phash, pnick = string.match(prev, '^(%d+)\\n(%d+)\\n(%x+)\\n(.*)$')
    if pseq and phash == redis.sha1hex(text) then
      out[#out + 1] = {1, tonumber(pseq), tonumber(pts), pnick}
    else
      out[#out + 1] = {2, 0, 0, ''}
    end
  else
    head = head + 1
    redis.call('XADD', log, head .. '-0', 'n', nick, 'c', cid, 't', text, 's', ts)
    if ki > 0 then
      redis.call('SET', KEYS[ki], head .. '\\n' .. ts .. '\\n' .. redis.sha1hex(text) .. '\\n' .. nick, 'PX', ttl)
    end
    out[#out + 1] = {0, head, ts, nick}
    pub[#pub + 1] = {head, ts, nick, cid, text}
  end
end
local tail = tonumber(redis.call('HGET', meta, 'tail')) or 1
if #pub > 0 then
  -- Exact MAXLEN, not '~': tail must be exact for gap reporting.
  redis.call('XTRIM', log, 'MAXLEN', retain)
  local len = redis.call('XLEN', log)
  tail = head - len + 1
  redis.call('HSET', meta, 'head', head, 'tail', tail)
  redis.call('PUBLISH', ARGV[5], cjson.encode({'m', room, epoch, pub}))
end
return {epoch, head, tail, out}
`;

/** KEYS: meta, rooms set. ARGV: room, epoch candidate. Returns {epoch, head, tail}. */
export const ENSURE_LUA = `
local meta = KEYS[1]
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('HSET', meta, 'epoch', epoch, 'head', 0, 'tail', 1)
  redis.call('SADD', KEYS[2], ARGV[1])
end
local v = redis.call('HMGET', meta, 'head', 'tail')
return {epoch, tonumber(v[1]) or 0, tonumber(v[2]) or 1}
`;

// Shared by the presence scripts. A member is present while at least one node
// holds it: KEYS[1] zset of holders `<node>:<key>` scored by expiry (ms),
// KEYS[2] hash key → member json, KEYS[3] hash key → holder count,
// KEYS[4] version, KEYS[5] presence-rooms set.
const PRESENCE_COMMON = `${NOW}
local z, h, c, v, prooms = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local function drop_holder(hk)
  local key = string.sub(hk, string.find(hk, ':', 1, true) + 1)
  if redis.call('HINCRBY', c, key, -1) <= 0 then
    redis.call('HDEL', c, key)
    redis.call('HDEL', h, key)
    return true
  end
  return false
end
local function sweep(now)
  local gone = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  if #gone == 0 then return false end
  redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
  local changed = false
  for i = 1, #gone do
    if drop_holder(gone[i]) then changed = true end
  end
  return changed
end
local function bump(now)
  -- Seeded from the clock so the version keeps growing even if Redis lost the key.
  if redis.call('EXISTS', v) == 0 then redis.call('SET', v, now) end
  return redis.call('INCR', v)
end
local function announce(room, channel, version)
  local vals = redis.call('HVALS', h)
  redis.call('PUBLISH', channel, '["p",' .. cjson.encode(room) .. ',' .. version .. ',[' .. table.concat(vals, ',') .. ']]')
end
local function finish(room, channel, now, changed)
  if redis.call('ZCARD', z) == 0 then redis.call('SREM', prooms, room) end
  if changed then announce(room, channel, bump(now)) end
end
`;

/**
 * ARGV: room, key, node, nick, via, since, ttl ms, channel, mode.
 * Adds or extends this node's hold on the member. Mode 'upsert' also stores
 * a new nick or via (a member keeps its first `since`); 'touch' (a periodic
 * refresh) keeps what is stored, so two nodes holding one session on
 * different transports do not flip it back and forth.
 */
export const PRESENCE_UPSERT_LUA = `${PRESENCE_COMMON}
local room, key, node, nick, via, since = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local ttl, channel, mode = tonumber(ARGV[7]), ARGV[8], ARGV[9]
local now = now_ms()
local changed = sweep(now)
local hk = node .. ':' .. key
if redis.call('ZADD', z, now + ttl, hk) == 1 then redis.call('HINCRBY', c, key, 1) end
local prev = redis.call('HGET', h, key)
if not prev then
  redis.call('HSET', h, key, cjson.encode({nick = nick, via = via, since = since}))
  changed = true
elseif mode == 'upsert' then
  local p = cjson.decode(prev)
  if p.nick ~= nick or p.via ~= via then
    redis.call('HSET', h, key, cjson.encode({nick = nick, via = via, since = p.since}))
    changed = true
  end
end
redis.call('SADD', prooms, room)
finish(room, channel, now, changed)
return changed and 1 or 0
`;

/** ARGV: room, key, node, channel. Drops this node's hold; the member leaves with its last holder. */
export const PRESENCE_REMOVE_LUA = `${PRESENCE_COMMON}
local room, key, node, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local changed = sweep(now)
local hk = node .. ':' .. key
if redis.call('ZREM', z, hk) == 1 and drop_holder(hk) then changed = true end
finish(room, channel, now, changed)
return changed and 1 or 0
`;

/**
 * ARGV: room, channel. Drops expired holds (of any node), announces a change,
 * and returns {version, member json…}.
 */
export const PRESENCE_SWEEP_LUA = `${PRESENCE_COMMON}
local room, channel = ARGV[1], ARGV[2]
local now = now_ms()
finish(room, channel, now, sweep(now))
local out = {tonumber(redis.call('GET', v)) or 0}
local vals = redis.call('HVALS', h)
for i = 1, #vals do out[i + 1] = vals[i] end
return out
`;

/**
 * KEYS: meta. ARGV: the epoch and head a node found after Redis came back,
 * and a new epoch. Renames the log's life only if nothing changed since.
 * Returns 1 when it did.
 */
export const ROTATE_EPOCH_LUA = `
local v = redis.call('HMGET', KEYS[1], 'epoch', 'head')
if v[1] ~= ARGV[1] or tostring(v[2]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'epoch', ARGV[3])
return 1
`;
