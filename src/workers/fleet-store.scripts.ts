/**
 * Lua scripts of the fleet store (nodes, pinned placements, control messages).
 * Keys (P = prefix): P:nodes zset node -> last heartbeat ms (Redis clock); P:node:{name} hash of facts;
 * P:node:{name}:hosts set of hosts pinned there; P:pinned hash host -> node; P:ctl:{name} list of commands.
 */
const PRELUDE = `
local P = ARGV[1]
local function key(...) return P .. ':' .. table.concat({...}, ':') end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** ARGV: P, node, facts JSON fields... (flat field/value pairs). Returns the heartbeat time. */
export const HEARTBEAT = `${PRELUDE}
local now = now_ms()
redis.call('ZADD', key('nodes'), now, ARGV[2])
if #ARGV > 2 then redis.call('HSET', key('node', ARGV[2]), 'heartbeat', now, unpack(ARGV, 3)) end
return now
`;

/** ARGV: P, node ttl ms. Returns {now, node, heartbeat, node, heartbeat...} of live nodes. */
export const LIVE_NODES = `${PRELUDE}
local now = now_ms()
local live = redis.call('ZRANGEBYSCORE', key('nodes'), now - tonumber(ARGV[2]), '+inf', 'WITHSCORES')
table.insert(live, 1, tostring(now))
return live
`;

/**
 * Pins a host to a node, once: if the host is pinned to a live node, returns that node; otherwise pins it
 * to the candidate (if it has room), queues a start command for it, and returns the candidate.
 * Returns '' when the candidate is full or dead. ARGV: P, host, candidate, node ttl ms, capacity.
 */
export const PLACE = `${PRELUDE}
local host, cand = ARGV[2], ARGV[3]
local alive_since = now_ms() - tonumber(ARGV[4])
local current = redis.call('HGET', key('pinned'), host)
if current then
  local beat = redis.call('ZSCORE', key('nodes'), current)
  if beat and tonumber(beat) >= alive_since then return current end
  redis.call('SREM', key('node', current, 'hosts'), host)
end
local beat = redis.call('ZSCORE', key('nodes'), cand)
if not beat or tonumber(beat) < alive_since then return '' end
if redis.call('SCARD', key('node', cand, 'hosts')) >= tonumber(ARGV[5]) then return '' end
redis.call('HSET', key('pinned'), host, cand)
redis.call('SADD', key('node', cand, 'hosts'), host)
redis.call('RPUSH', key('ctl', cand), cjson.encode({ type = 'start_pinned', host = host }))
return cand
`;

/** A node leaves: unpins its hosts (so they are placed again) and forgets the node. ARGV: P, node. */
export const DEREGISTER = `${PRELUDE}
local node = ARGV[2]
for _, host in ipairs(redis.call('SMEMBERS', key('node', node, 'hosts'))) do
  if redis.call('HGET', key('pinned'), host) == node then redis.call('HDEL', key('pinned'), host) end
end
redis.call('DEL', key('node', node, 'hosts'), key('node', node), key('ctl', node))
redis.call('ZREM', key('nodes'), node)
return 1
`;
