import { LUA_PRELUDE } from '../redis/lua-scripts';

/**
 * Lua scripts of the fleet store: nodes, workers, pinned placements and control messages.
 * Keys (P = prefix):
 *   P:nodes                 zset node -> last heartbeat ms (Redis clock)
 *   P:node:{name}           hash of the node's facts;  P:node:{name}:hosts  set of hosts pinned there
 *   P:pinned                hash host -> node
 *   P:ctl:{name}            list of control messages for a node;  P:reply:{id}  list of its answers
 *   P:workers               zset worker -> last heartbeat ms
 *   P:worker:{name}         hash: node hostname pid kind queue host birth_at successful failed current_job
 *                           suspended stopped heartbeat (current_job and the counts are kept by the job
 *                           store's START/END scripts, in the same step as the job's transition)
 *   P:wix:node:{n}, P:wix:queue:{q}, P:wix:host:{h}   sets of worker names, for GET /worker filters
 */
const PRELUDE = LUA_PRELUDE;

/**
 * A node's heartbeat, for itself and each of its workers. ARGV: P, node, worker count N,
 * N worker names, then the node's facts as field/value pairs. Returns 1 when the node was not registered
 * (first beat, or it was reaped as dead meanwhile), else 0.
 */
export const HEARTBEAT = `${PRELUDE}
local node, n = ARGV[2], tonumber(ARGV[3])
local now = now_ms()
local added = redis.call('ZADD', key('nodes'), now, node)
for i = 4, 3 + n do
  if redis.call('HGET', key('worker', ARGV[i]), 'stopped') ~= '1' then
    redis.call('ZADD', key('workers'), now, ARGV[i])
    redis.call('HSET', key('worker', ARGV[i]), 'heartbeat', now)
  end
end
if #ARGV > 3 + n then redis.call('HSET', key('node', node), 'heartbeat', now, unpack(ARGV, 4 + n)) end
return added
`;

/** ARGV: P, node ttl ms. Returns {now, node, heartbeat, node, heartbeat...} of live nodes. */
export const LIVE_NODES = `${PRELUDE}
local now = now_ms()
local live = redis.call('ZRANGEBYSCORE', key('nodes'), now - tonumber(ARGV[2]), '+inf', 'WITHSCORES')
table.insert(live, 1, tostring(now))
return live
`;

/** ARGV: P, node ttl ms, limit. Nodes whose heartbeat is older than the ttl. */
export const DEAD_NODES = `${PRELUDE}
return redis.call('ZRANGEBYSCORE', key('nodes'), '-inf', '(' .. (now_ms() - tonumber(ARGV[2])), 'LIMIT', 0, tonumber(ARGV[3]))
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

/** Unpins a host from a node (its pinned worker stopped), if it is still pinned there. ARGV: P, host, node. */
export const UNPIN = `${PRELUDE}
if redis.call('HGET', key('pinned'), ARGV[2]) == ARGV[3] then redis.call('HDEL', key('pinned'), ARGV[2]) end
redis.call('SREM', key('node', ARGV[3], 'hosts'), ARGV[2])
return 1
`;

/**
 * A node leaves (shutdown) or is reaped (dead): its hosts are unpinned, so they are placed again, and it is
 * forgotten. Its workers are marked stopped. ARGV: P, node, [node ttl ms]. With the ttl (reaping), only a node
 * whose heartbeat is still older than the ttl goes: one that beat again since it was found dead (after a Redis
 * pause, say) stays, and the script returns false (nil). Otherwise it returns the hosts the node had.
 */
export const DEREGISTER = `${PRELUDE}
local node = ARGV[2]
if ARGV[3] then
  local beat = redis.call('ZSCORE', key('nodes'), node)
  if beat and tonumber(beat) >= now_ms() - tonumber(ARGV[3]) then return false end
end
local hosts = redis.call('SMEMBERS', key('node', node, 'hosts'))
for _, host in ipairs(hosts) do
  if redis.call('HGET', key('pinned'), host) == node then redis.call('HDEL', key('pinned'), host) end
end
for _, w in ipairs(redis.call('SMEMBERS', key('wix', 'node', node))) do
  redis.call('HSET', key('worker', w), 'stopped', '1')
end
redis.call('DEL', key('node', node, 'hosts'), key('node', node), key('ctl', node))
redis.call('ZREM', key('nodes'), node)
return hosts
`;

/** A worker is born. ARGV: P, name, node, queue, host|'', then facts as field/value pairs. */
export const REGISTER_WORKER = `${PRELUDE}
local name, node, queue, host = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = now_ms()
local wk = key('worker', name)
redis.call('DEL', wk)
redis.call('HSET', wk, 'name', name, 'node', node, 'queue', queue, 'host', host, 'birth_at', now, 'heartbeat', now,
  'successful', 0, 'failed', 0, unpack(ARGV, 6))
redis.call('ZADD', key('workers'), now, name)
redis.call('SADD', key('wix', 'node', node), name)
redis.call('SADD', key('wix', 'queue', queue), name)
if host ~= '' then redis.call('SADD', key('wix', 'host', host), name) end
return now
`;

/** Sets (or clears, value '') one flag of a worker if it exists: suspended | stopped. ARGV: P, name, field, value. */
export const SET_WORKER_FLAG = `${PRELUDE}
local wk = key('worker', ARGV[2])
if redis.call('EXISTS', wk) == 0 then return 0 end
if ARGV[4] == '' then redis.call('HDEL', wk, ARGV[3]) else redis.call('HSET', wk, ARGV[3], ARGV[4]) end
return 1
`;

/**
 * Forgets workers dead for longer than the retention (no heartbeat since ttl + retention).
 * ARGV: P, ttl + retention ms, limit. Returns the names pruned.
 */
export const PRUNE_WORKERS = `${PRELUDE}
local names = redis.call('ZRANGEBYSCORE', key('workers'), '-inf', '(' .. (now_ms() - tonumber(ARGV[2])), 'LIMIT', 0, tonumber(ARGV[3]))
for _, name in ipairs(names) do
  local w = redis.call('HMGET', key('worker', name), 'node', 'queue', 'host')
  if w[1] then redis.call('SREM', key('wix', 'node', w[1]), name) end
  if w[2] then redis.call('SREM', key('wix', 'queue', w[2]), name) end
  if w[3] and w[3] ~= '' then redis.call('SREM', key('wix', 'host', w[3]), name) end
  redis.call('DEL', key('worker', name))
  redis.call('ZREM', key('workers'), name)
end
return names
`;
