/**
 * The Lua scripts that make Redis the single source of order. Each one runs
 * atomically, so two nodes can never hand out the same seq, leave a hole, or
 * disagree about a presence version. Timestamps come from Redis `TIME`, one
 * clock for every node.
 *
 * Bus payloads are compact JSON arrays:
 *   ["m", room, epoch, [[seq, ts, nick, cid, text], …]]   committed messages
 *   ["p", room, version, count]                             presence changed
 */

export const NOW = `
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
