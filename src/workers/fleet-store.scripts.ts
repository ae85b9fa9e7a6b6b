import { JOB_TRANSITIONS } from '../jobs/job-store.scripts';
import { LUA_PRELUDE } from '../redis/lua-scripts';

/**
 * Lua scripts of the fleet store: nodes, workers, pinned placements and control messages.
 * Keys (P = prefix):
 *   P:nodes                 zset node -> last heartbeat ms (Redis clock)
 *   P:node:{name}           hash of the node's facts: life (random id of the process holding the name), hostname,
 *                           pid, started_at, capacity...;  P:node:{name}:hosts  set of hosts pinned there
 *   P:pinned                hash host -> node
 *   P:ctl:{name}            list of control messages for a node;  P:reply:{id}  list of its answers
 *   P:workers               zset worker -> last heartbeat ms
 *   P:worker:{name}         hash: node hostname pid kind queue host birth_at successful failed current_job
 *                           suspended stopped heartbeat (current_job and the counts are kept by the job
 *                           store's START/END scripts, in the same step as the job's transition)
 *   P:wix:node:{n}, P:wix:queue:{q}, P:wix:host:{h}   sets of worker names, for GET /worker filters
 * Read here from the job store (job-store.scripts.ts): P:job:{id} and P:ix:ns:started:{node} (CLAIM_LIFE),
 * P:ix:qs:{queued|started|scheduled}:{queue} (RELEASE_PINNED).
 */
const PRELUDE = LUA_PRELUDE;

/**
 * A node's heartbeat, for itself and each of its workers. ARGV: P, node, life, worker count N, N worker names,
 * then the node's facts as field/value pairs. Returns 1 when the node was not registered (first beat, or it was
 * reaped as dead meanwhile), 0 when it was; or {-1, life, hostname, pid} of the process that took the name over
 * while this one was silent (it must stop: its jobs were ended by the new life), writing nothing.
 */
export const HEARTBEAT = `${PRELUDE}
local node, life, n = ARGV[2], ARGV[3], tonumber(ARGV[4])
local holder = redis.call('HMGET', key('node', node), 'life', 'hostname', 'pid')
if holder[1] and holder[1] ~= life then return { -1, holder[1], holder[2] or '', holder[3] or '' } end
local now = now_ms()
local added = redis.call('ZADD', key('nodes'), now, node)
for i = 5, 4 + n do
  if redis.call('HGET', key('worker', ARGV[i]), 'stopped') ~= '1' then
    redis.call('ZADD', key('workers'), now, ARGV[i])
    redis.call('HSET', key('worker', ARGV[i]), 'heartbeat', now)
  end
end
if #ARGV > 4 + n then redis.call('HSET', key('node', node), 'heartbeat', now, 'life', life, unpack(ARGV, 5 + n)) end
return added
`;

/**
 * A node process starts under a name: it claims the name for its life, or learns that a live process holds it.
 * ARGV: P, node, life, hostname, pid, node ttl ms, dead pid|'', result ttl ms, then the node's facts as
 * field/value pairs.
 *
 * The holder recorded for the name (life, hostname, pid, heartbeat) is alive when its heartbeat is younger than
 * the ttl, unless it is this very process slot: the same hostname and the same pid (a container restarted by
 * docker, a StatefulSet pod: nothing else can be that pid on that host while we are), or the same hostname and a
 * pid the caller found dead on this host (dead pid). A live holder keeps the name: returns
 * {'held', life, hostname, pid, heartbeat age ms} and writes nothing.
 *
 * Otherwise the previous life is gone, and in this one step, before the new life takes any job: every job still
 * started on the node (the node's started index: its pinned workers and FIFO slots alike) ends failed with
 * WorkerLostError naming the old life; the old workers are marked stopped; the old life's unread commands are
 * dropped (the hosts pinned to the node stay, and the new life restores their workers from P:node:{name}:hosts);
 * the node's record becomes the new life's, with a fresh heartbeat, so no sweeper reaps it meanwhile.
 * Returns {'ok', old life, old hostname, old pid, now, then id, queue, started ms of each job ended}.
 */
export const CLAIM_LIFE = `${PRELUDE}${JOB_TRANSITIONS}
local node, life, hostname, pid, dead_pid = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[7]
local nk = key('node', node)
local now = now_ms()
local old = redis.call('HMGET', nk, 'life', 'hostname', 'pid')
local old_life, old_host, old_pid = old[1] or '', old[2] or '', old[3] or ''
local beat = redis.call('ZSCORE', key('nodes'), node)
if beat and now - tonumber(beat) < tonumber(ARGV[6]) then
  local same_slot = old_host == hostname and (old_pid == pid or (dead_pid ~= '' and old_pid == dead_pid))
  if not same_slot then return { 'held', old_life, old_host, old_pid, tostring(now - tonumber(beat)) } end
end
local out = { 'ok', old_life, old_host, old_pid, tostring(now) }
local was = 'its previous life'
if old_life ~= '' then was = 'its previous life ' .. old_life .. ' (' .. old_host .. ', pid ' .. old_pid .. ')' end
local started = key('ix', 'ns', 'started', node)
for _, id in ipairs(redis.call('ZRANGE', started, 0, -1)) do
  local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n', 'w', 's')
  if m[1] == 'started' then
    local worker = m[5] or '?'
    local result = cjson.encode({ type = 'failed', retval = cjson.null, error = { type = 'WorkerLostError',
      message = 'worker node ' .. node .. ' was restarted (new life ' .. life .. '): ' .. was .. ' ended while ' .. worker .. ' ran this job' } })
    close_job(id, 'started', 'failed', m[2], m[3], m[4] or '', result, tonumber(ARGV[8]), now)
    if m[5] then book_worker(m[5], id, 'failed') end
    out[#out + 1] = id; out[#out + 1] = m[2]; out[#out + 1] = m[6] or ''
  else
    redis.call('ZREM', started, id)
  end
end
for _, w in ipairs(redis.call('SMEMBERS', key('wix', 'node', node))) do
  redis.call('HSET', key('worker', w), 'stopped', '1')
  redis.call('HDEL', key('worker', w), 'current_job')
end
redis.call('DEL', nk, key('ctl', node))
redis.call('HSET', nk, 'heartbeat', now, 'life', life, unpack(ARGV, 9))
redis.call('ZADD', key('nodes'), now, node)
return out
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
 * Releases the idle pinned worker of a host: unpins the host from the node (freeing the capacity) and marks the
 * worker stopped, unless a job of its queue is queued or started. ARGV: P, host, node, worker, queue.
 * Returns 'released'; 'busy' (nothing changed: a job came); or 'gone' when the host is no longer pinned to this
 * node at all (the worker is an orphan: it is marked stopped too).
 *
 * The invariant, with CREATE's check (job-store.scripts.ts): a pinned job's record is written only while its host
 * is pinned to the job's node, and a host is unpinned here only while its queue has no queued or started job, both
 * checked in the step that acts. So a job submitted as the release happens is either stored first (the release sees
 * it and loses: the worker stays and runs it) or stored after (its insert is refused, the submitter places the host
 * anew, on this node or another, and retries): none waits for a worker that is gone.
 */
export const RELEASE_PINNED = `${PRELUDE}
local host, node, worker, queue = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local wk = key('worker', worker)
if redis.call('HGET', key('pinned'), host) ~= node then
  if redis.call('EXISTS', wk) == 1 then redis.call('HSET', wk, 'stopped', '1') end
  redis.call('SREM', key('node', node, 'hosts'), host)
  return 'gone'
end
if redis.call('ZCARD', key('ix', 'qs', 'queued', queue)) > 0 or redis.call('ZCARD', key('ix', 'qs', 'started', queue)) > 0 then return 'busy' end
-- a job scheduled for later (run_at, delay, a retry's wait) keeps its worker too: it must find one when its time comes
if redis.call('ZCARD', key('ix', 'qs', 'scheduled', queue)) > 0 then return 'busy' end
redis.call('HDEL', key('pinned'), host)
redis.call('SREM', key('node', node, 'hosts'), host)
if redis.call('EXISTS', wk) == 1 then redis.call('HSET', wk, 'stopped', '1') end
return 'released'
`;

/**
 * A node leaves (shutdown) or is reaped (dead): its hosts are unpinned, so they are placed again, and it is
 * forgotten. Its workers are marked stopped. ARGV: P, node, node ttl ms|'', life|''. With the ttl (reaping), only a
 * node whose heartbeat is still older than the ttl goes: one that beat again since it was found dead (after a Redis
 * pause, say) stays, and the script returns false (nil). With the life (a node leaving), only that life's record
 * goes: a process whose name was taken over by a new life leaves the new life alone. Otherwise it returns the
 * hosts the node had.
 */
export const DEREGISTER = `${PRELUDE}
local node = ARGV[2]
if ARGV[3] and ARGV[3] ~= '' then
  local beat = redis.call('ZSCORE', key('nodes'), node)
  if beat and tonumber(beat) >= now_ms() - tonumber(ARGV[3]) then return false end
end
if ARGV[4] and ARGV[4] ~= '' and redis.call('HGET', key('node', node), 'life') ~= ARGV[4] then return false end
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
