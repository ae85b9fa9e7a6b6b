import { LUA_PRELUDE } from '../redis/lua-scripts';

/**
 * Lua scripts of the job store: each state transition moves the record and every index in one atomic step.
 *
 * Keys (P = key prefix):
 *   P:job:{id}   hash  st q h n w c e s d to qd k   (status, queue, host, node, worker, created, enqueued,
 *                                                   started, ended ms, run timeout s, queued deadline ms, kind)
 *                      ra qt at sc                 (time, issue 17: run at ms of a scheduled job, queued ttl ms,
 *                                                   runs started, schedule name)
 *   P:doc:{id}   string  request JSON without secrets; when the job ends, "\n" and the result JSON are appended
 *                (one key, not two: a key costs ~100 B and each value its allocator rounding; JSON never holds a
 *                raw newline, so the first one separates the two)
 *   P:sec:{id}   string  secrets JSON, deleted when the job ends (and expiring on its own as a safety net)
 *   P:ix:all, P:ix:q:{queue}, P:ix:h:{host}, P:ix:n:{node}                 every job, by attribute
 *   P:ix:s:{status}, P:ix:qs:{status}:{queue}, P:ix:hs:{status}:{host}, P:ix:ns:{status}:{node}
 *   P:ix:b:{batch}, P:ix:bs:{status}:{batch}   the jobs of a bulk (field b of the job hash); the second is what
 *                counts a batch by status (ZCARD) and cancels its queued jobs
 *   P:batch:{id}  hash total c (jobs stored, created ms); lives as long as its last job (keep_batch)
 *   All indexes are sorted sets with score 0 ordered by id (ids start with the creation time).
 *   P:due:queued  zset id -> queued deadline;  P:due:running  zset id -> run deadline + grace;
 *   P:due:expire  zset id -> when the ended job is deleted.
 *   Scheduled jobs (options.run_at/delay, retries between attempts): status 'scheduled' in the status indexes like
 *   any other; P:due:scheduled  zset id -> run at, where the sweeper (PROMOTE_DUE) and START make them queued.
 *   P:ix:sc:{schedule}  every job a schedule made (GET /job?schedule=).
 *   The job counters and histograms (P:stats, P:hist:*, P:queues) are not written here: the scripts return
 *   what they are made of and JobTally adds it up in the process (job-tally.ts).
 *   P:worker:{name}  the fleet's worker hash: START and END also book its current_job and job counts, in the
 *                    same atomic step as the job's transition (see workers/fleet-store.scripts.ts).
 *   P:pinned         the fleet's hash host -> node: CREATE of a pinned job checks its host is still pinned there.
 *   Device protection (devices/device-locks.ts reads, lists and clears them):
 *   P:authfail:{host}  consecutive authentication failures of jobs on the host (END counts them; a login resets it)
 *   P:lock:{host}      hash until, failures, since: the host is locked (expires at until); CREATE refuses new jobs
 *                      and START fails queued ones while it exists
 *   P:locks            zset host -> until of the locks set, for listing them without a scan
 *   P:hostrun:{host}   zset of the FIFO jobs started on the host (MAX_SESSIONS_PER_HOST): START adds, close_job removes
 *   P:out:{id}         stream of the job's live output (jobs/job-output-log.ts); close_job gives it the job's TTL
 *   channel P:jobev:{id}  START publishes 's', close_job 'e' (jobs/job-signals.ts): followers of the job read on
 *   P:hostwait:{host}  zset of FIFO jobs waiting for a session on the host, by id (oldest first): AWAIT_SESSION adds,
 *                      close_job pops one when a session frees (and removes a queued job that ends)
 * Every script takes the prefix as ARGV[1]; times come from the Redis clock (TIME).
 */

/**
 * The Lua helpers of job transitions (index moves, closing a job, booking its worker), after LUA_PRELUDE. Exported
 * so a fleet script that must end jobs in the same atomic step as its own change (a node taking over its name from
 * a previous life, workers/fleet-store.scripts.ts) ends them exactly as END does.
 */
export const JOB_TRANSITIONS = `
local function status_keys(status, q, h, n, b)
  local keys = { key('ix', 's', status), key('ix', 'qs', status, q), key('ix', 'hs', status, h) }
  if n and n ~= '' then keys[#keys + 1] = key('ix', 'ns', status, n) end
  if b then keys[#keys + 1] = key('ix', 'bs', status, b) end
  return keys
end
-- b: the job's batch (field b of its hash), nil when it has none.
local function unindex(id, status, q, h, n, b)
  for _, k in ipairs(status_keys(status, q, h, n, b)) do redis.call('ZREM', k, id) end
end
local function index(id, status, q, h, n, b)
  for _, k in ipairs(status_keys(status, q, h, n, b)) do redis.call('ZADD', k, 0, id) end
end
-- A batch's record lives at least ms more (never shortened: its jobs end at different times).
local function keep_batch(b, ms)
  local bk = key('batch', b)
  if redis.call('PTTL', bk) < ms then redis.call('PEXPIRE', bk, ms) end
end
-- Ends a job: status, end time, result, secrets gone, indexes moved, deletion scheduled. A started FIFO job frees
-- its host's session (MAX_SESSIONS_PER_HOST): the oldest job waiting for one is popped and returned, for the caller
-- to wake (END does; other callers leave it to the waiter's own fallback delay). A queued job leaves the waiters.
local function close_job(id, from, to, q, h, n, result_json, result_ttl_ms, now)
  local jk = key('job', id)
  redis.call('HSET', jk, 'st', to, 'd', now)
  -- SET of the joined value, not APPEND: APPEND leaves the string with room to grow, up to twice its size.
  if result_json and result_json ~= '' then
    local dk = key('doc', id)
    redis.call('SET', dk, (redis.call('GET', dk) or '{}') .. '\\n' .. result_json)
  end
  redis.call('DEL', key('sec', id))
  local b = redis.call('HGET', jk, 'b')
  unindex(id, from, q, h, n, b)
  index(id, to, q, h, n, b)
  if b then keep_batch(b, result_ttl_ms) end
  redis.call('ZREM', key('due', from == 'started' and 'running' or from), id)
  redis.call('ZADD', key('due', 'expire'), now + result_ttl_ms, id)
  -- Live output stays as long as the job does; its followers hear that it ended (job-signals.ts).
  redis.call('PEXPIRE', key('out', id), result_ttl_ms)
  redis.call('PUBLISH', key('jobev', id), 'e')
  if from ~= 'started' then
    redis.call('ZREM', key('hostwait', h), id)
  elseif redis.call('ZREM', key('hostrun', h), id) == 1 then
    return redis.call('ZPOPMIN', key('hostwait', h))[1]
  end
end
-- The worker's side of a transition: what it runs now, and how many jobs it finished or failed.
-- A worker the fleet no longer knows (reaped, pruned) gets no hash back.
local function book_worker(worker, id, outcome)
  local wk = key('worker', worker)
  if outcome == nil then
    if redis.call('EXISTS', wk) == 1 then redis.call('HSET', wk, 'current_job', id) end
    return
  end
  -- One read for both: every registered worker's hash has its name.
  local w = redis.call('HMGET', wk, 'name', 'current_job')
  if not w[1] then return end
  if w[2] == id then redis.call('HDEL', wk, 'current_job') end
  redis.call('HINCRBY', wk, outcome == 'finished' and 'successful' or 'failed', 1)
end
-- A scheduled job whose time has come becomes queued: enqueued at its run time, its queue TTL counted from then.
local function promote(id, q, h, n)
  local jk = key('job', id)
  local t = redis.call('HMGET', jk, 'ra', 'qt', 'b')
  local ra = tonumber(t[1])
  local qd = ra + tonumber(t[2] or '0')
  unindex(id, 'scheduled', q, h, n, t[3] or nil)
  index(id, 'queued', q, h, n, t[3] or nil)
  redis.call('HSET', jk, 'st', 'queued', 'e', ra, 'qd', qd)
  redis.call('ZREM', key('due', 'scheduled'), id)
  redis.call('ZADD', key('due', 'queued'), qd, id)
  redis.call('PUBLISH', key('jobev', id), 's')
  return qd, ra
end
local function failed_result(error_type, message)
  return cjson.encode({ type = 'failed', retval = cjson.null, error = { type = error_type, message = message } })
end
local function timeout_result(message)
  return cjson.encode({ type = 'timeout', retval = cjson.null, error = { type = 'TimeoutError', message = message } })
end
`;

const PRELUDE = `${LUA_PRELUDE}${JOB_TRANSITIONS}`;

/**
 * ARGV: P, id, queue, host, node|'', kind, run timeout s, queued ttl ms, secret ttl ms, request JSON, secrets JSON|'',
 * not-after ms|'', pinned '1'|'', batch id|'', batch ttl ms (how long the batch may live for this job). Returns the creation time (ms, Redis clock). Refuses to write anything after
 * not-after: by then the submitter has given up waiting and answered an error (Redis was paused or overloaded).
 * With pinned '1', refuses ('ERR unpinned') unless the host is still pinned to the node in the fleet's P:pinned: the
 * node's pinned worker may have been released (RELEASE_PINNED) since the submitter read the placement, and a job
 * queued for a worker that no longer exists would wait out its TTL. The submitter places the host again and
 * retries. Together with RELEASE_PINNED's check of this queue's queued and started jobs, a queued pinned job always
 * has its host pinned to a node. A host locked after repeated authentication failures (P:lock:{host}) refuses the
 * job: 'ERR locked <until ms> <failures>'.
 * Issue 17: ARGV[16] run at ms|'' (later than now: the job is 'scheduled' until then, its queue TTL counted from
 * then), ARGV[17] the schedule that made it|'' (indexed in P:ix:sc:{schedule}).
 */
export const CREATE = `${PRELUDE}
local id, q, h, n, kind = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local now = now_ms()
if ARGV[12] ~= '' and now > tonumber(ARGV[12]) then return redis.error_reply('ERR too late: the submitter stopped waiting') end
if ARGV[13] == '1' and redis.call('HGET', key('pinned'), h) ~= n then return redis.error_reply('ERR unpinned: the host is no longer pinned to ' .. n) end
local lock = redis.call('HMGET', key('lock', h), 'until', 'failures')
if lock[1] then return redis.error_reply('ERR locked ' .. lock[1] .. ' ' .. (lock[2] or '0')) end
-- The index of every job doubles as the duplicate-id guard (ZADD answers 0 for a member it already has).
if redis.call('ZADD', key('ix', 'all'), 0, id) == 0 then return redis.error_reply('ERR duplicate job id') end
local jk = key('job', id)
local deadline = now + tonumber(ARGV[8])
local fields = { 'st', 'queued', 'q', q, 'h', h, 'c', now, 'e', now, 'to', ARGV[7], 'qd', deadline, 'k', kind }
if n ~= '' then fields[#fields + 1] = 'n'; fields[#fields + 1] = n end
local b = nil
if (ARGV[14] or '') ~= '' then
  b = ARGV[14]
  fields[#fields + 1] = 'b'; fields[#fields + 1] = b
  redis.call('ZADD', key('ix', 'b', b), 0, id)
  redis.call('HINCRBY', key('batch', b), 'total', 1)
  redis.call('HSETNX', key('batch', b), 'c', now)
  keep_batch(b, tonumber(ARGV[15]))
end
local status, run_at, schedule = 'queued', tonumber(ARGV[16] or ''), ARGV[17] or ''
for _, f in ipairs({ 'qt', ARGV[8], 'at', 0 }) do fields[#fields + 1] = f end
if run_at then
  for _, f in ipairs({ 'ra', run_at }) do fields[#fields + 1] = f end
  if run_at > now then
    status = 'scheduled'
    fields[2] = status; fields[10] = ''; fields[14] = run_at + tonumber(ARGV[8])
  end
end
if schedule ~= '' then
  for _, f in ipairs({ 'sc', schedule }) do fields[#fields + 1] = f end
  redis.call('ZADD', key('ix', 'sc', schedule), 0, id)
end
redis.call('HSET', jk, unpack(fields))
redis.call('SET', key('doc', id), ARGV[10])
if ARGV[11] ~= '' then redis.call('SET', key('sec', id), ARGV[11], 'PX', ARGV[9]) end
redis.call('ZADD', key('ix', 'q', q), 0, id)
redis.call('ZADD', key('ix', 'h', h), 0, id)
if n ~= '' then redis.call('ZADD', key('ix', 'n', n), 0, id) end
index(id, status, q, h, n, b)
if status == 'scheduled' then redis.call('ZADD', key('due', 'scheduled'), run_at, id)
else redis.call('ZADD', key('due', 'queued'), deadline, id) end
return now
`;

/**
 * A worker takes a job. ARGV: P, id, worker, node, run grace ms, result ttl ms, max sessions per host (a FIFO worker:
 * MAX_SESSIONS_PER_HOST; 0: no limit, as for pinned workers, which run one job at a time per host anyway).
 * Returns {'ok', request, secrets, started_ms, enqueued_ms, attempt} | {'skip', status} | {'expired', queue} | {'missing'}
 * | {'locked', queue, until ms}: the job's host was locked after repeated authentication failures while the job
 * waited, so it ends failed (DeviceLockedError) without trying the device
 * | {'wait', waiters, host}: the host already runs max sessions of FIFO jobs; nothing changed, the job stays queued and the
 * worker puts it back to wait (AWAIT_SESSION), not failing it and not holding its slot.
 * | {'early', run at ms}: a scheduled job handed over before its time (BullMQ's delay is counted on the submitting
 * process's clock, the run time on Redis's): nothing changed, the worker puts it off until then.
 * A scheduled job whose time has come is made queued first (as PROMOTE_DUE would), then taken. Each start counts
 * one more attempt ('at').
 */
export const START = `${PRELUDE}
local id, worker, node = ARGV[2], ARGV[3], ARGV[4]
local jk = key('job', id)
local m = redis.call('HMGET', jk, 'st', 'q', 'h', 'n', 'qd', 'to', 'e', 'b', 'ra')
if not m[1] then return {'missing'} end
local q, h, old_node = m[2], m[3], m[4] or ''
local now = now_ms()
if m[1] == 'scheduled' then
  if now < tonumber(m[9] or '0') then return {'early', m[9]} end
  local qd, ra = promote(id, q, h, old_node)
  m[1], m[5], m[7] = 'queued', tostring(qd), tostring(ra)
end
if m[1] ~= 'queued' then return {'skip', m[1]} end
if now > tonumber(m[5]) then
  close_job(id, 'queued', 'failed', q, h, old_node, timeout_result('the job waited in its queue longer than its TTL and was not run'), tonumber(ARGV[6]), now)
  return {'expired', q}
end
local lock = redis.call('HMGET', key('lock', h), 'until', 'failures')
if lock[1] then
  local left = math.max(1, math.ceil((tonumber(lock[1]) - now) / 1000))
  close_job(id, 'queued', 'failed', q, h, old_node, failed_result('DeviceLockedError', 'host ' .. h .. ' is locked for another ' .. left
    .. ' s after ' .. (lock[2] or '?') .. ' consecutive authentication failures: the job was not run, so the device sees no more failed'
    .. ' logins (fix the credentials, then DELETE /device/lockout?host=' .. h .. ')'), tonumber(ARGV[6]), now)
  return {'locked', q, lock[1]}
end
local max_sessions = tonumber(ARGV[7] or '0')
if max_sessions > 0 then
  if redis.call('ZCARD', key('hostrun', h)) >= max_sessions then return {'wait', tostring(redis.call('ZCARD', key('hostwait', h))), h} end
  redis.call('ZADD', key('hostrun', h), 0, id)
end
local b = m[8] or nil
unindex(id, 'queued', q, h, old_node, b)
if old_node ~= node then
  if old_node ~= '' then redis.call('ZREM', key('ix', 'n', old_node), id) end
  redis.call('ZADD', key('ix', 'n', node), 0, id)
end
index(id, 'started', q, h, node, b)
redis.call('HSET', jk, 'st', 'started', 's', now, 'w', worker, 'n', node)
local attempts = redis.call('HINCRBY', jk, 'at', 1)
redis.call('PUBLISH', key('jobev', id), 's')
book_worker(worker, id, nil)
redis.call('ZREM', key('due', 'queued'), id)
redis.call('ZADD', key('due', 'running'), now + tonumber(m[6]) * 1000 + tonumber(ARGV[5]), id)
return {'ok', redis.call('GET', key('doc', id)) or '', redis.call('GET', key('sec', id)) or '', tostring(now), m[7], tostring(attempts)}
`;

/**
 * A started job ends. ARGV: P, id, 'finished'|'failed', result JSON, result ttl ms, expected worker|'', then for the
 * device protection: host|'', login 'failed'|'ok'|'' (the job's login to the device was refused, succeeded, or did
 * not happen: a kept session), failure limit (0: never lock), lockout ms.
 * A refused login counts one more consecutive failure for the host (counted even when the job was ended meanwhile by
 * someone else: the device saw it); at the limit the host is locked until now + lockout. A successful login resets
 * the count. Failures while the host is already locked (jobs that were running when it locked) are not counted.
 * Returns {'ok', ended_ms, started_ms, queue, locked until ms|'', woken id|''} | {'skip', status, '', '', until|''}
 * | {'missing'...}; woken: a FIFO job that waited for the session this job freed, for the caller to wake.
 */
export const END = `${PRELUDE}
local id, final = ARGV[2], ARGV[3]
local locked = ''
local host, login = ARGV[7] or '', ARGV[8] or ''
if host ~= '' and login == 'ok' then
  redis.call('DEL', key('authfail', host))
elseif host ~= '' and login == 'failed' and tonumber(ARGV[9] or '0') > 0 and redis.call('EXISTS', key('lock', host)) == 0 then
  local n = redis.call('INCR', key('authfail', host))
  -- consecutive failures a day apart are not a burst: the count is forgotten after a day without a new one
  redis.call('PEXPIRE', key('authfail', host), 86400000)
  if n >= tonumber(ARGV[9]) then
    local at = now_ms()
    local until_ms = at + tonumber(ARGV[10])
    redis.call('HSET', key('lock', host), 'until', until_ms, 'failures', n, 'since', at)
    redis.call('PEXPIREAT', key('lock', host), until_ms)
    redis.call('ZADD', key('locks'), until_ms, host)
    redis.call('DEL', key('authfail', host))
    locked = tostring(until_ms)
  end
end
local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n', 'w', 's')
if not m[1] then return {'missing', '', '', '', locked} end
if m[1] ~= 'started' then return {'skip', m[1], '', '', locked} end
if ARGV[6] ~= '' and m[5] ~= ARGV[6] then return {'skip', 'started', '', '', locked} end
local now = now_ms()
local woken = close_job(id, 'started', final, m[2], m[3], m[4] or '', ARGV[4], tonumber(ARGV[5]), now)
if m[5] then book_worker(m[5], id, final) end
return {'ok', tostring(now), m[6], m[2], locked, woken or ''}
`;

/**
 * A FIFO job that START sent back to wait for a session on its host, once the worker has put it in BullMQ's delayed
 * set: it joins the host's waiters, to be woken when a session frees (close_job pops the oldest). ARGV: P, host, id,
 * max sessions. Returns 'parked'; 'now' when a session freed meanwhile (the worker wakes it at once: a wake-up
 * between START and this step would otherwise be lost); or 'gone' when the job is no longer queued.
 */
export const AWAIT_SESSION = `${PRELUDE}
local h, id = ARGV[2], ARGV[3]
if redis.call('HGET', key('job', id), 'st') ~= 'queued' then return 'gone' end
if redis.call('ZCARD', key('hostrun', h)) < tonumber(ARGV[4]) then return 'now' end
redis.call('ZADD', key('hostwait', h), 0, id)
return 'parked'
`;

/** Returns 'cancelled' or the status that prevented it ('missing' if none), and the job's queue. */
const CANCEL_ONE = `
local function cancel_one(id, result_ttl_ms, now)
  local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n')
  if not m[1] then return 'missing', '' end
  if m[1] ~= 'queued' and m[1] ~= 'scheduled' then return m[1], m[2] end
  close_job(id, m[1], 'cancelled', m[2], m[3], m[4] or '', '', result_ttl_ms, now)
  return 'cancelled', m[2]
end
`;

/** ARGV: P, result ttl ms, id... Returns per id two entries: the outcome of cancel_one and the job's queue. */
export const CANCEL_IDS = `${PRELUDE}${CANCEL_ONE}
local now, ttl = now_ms(), tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local outcome, q = cancel_one(ARGV[i], ttl, now)
  out[#out + 1] = outcome; out[#out + 1] = q
end
return out
`;

/**
 * Cancels queued jobs read from a queued-status index, oldest first, in one bounded batch.
 * ARGV: P, result ttl ms, index key, host filter|'', batch size, after-id|''.
 * Returns {next after-id|'', cancelled id, its queue, ...}; call again with the after-id until it is ''.
 */
export const CANCEL_FROM_INDEX = `${PRELUDE}${CANCEL_ONE}
local ttl, idx, host, batch, after = tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local min = '-'
if after ~= '' then min = '(' .. after end
local ids = redis.call('ZRANGEBYLEX', idx, min, '+', 'LIMIT', 0, batch)
local now = now_ms()
local out = { '' }
for _, id in ipairs(ids) do
  if host == '' or redis.call('HGET', key('job', id), 'h') == host then
    local outcome, q = cancel_one(id, ttl, now)
    if outcome == 'cancelled' then out[#out + 1] = id; out[#out + 1] = q end
  end
end
if #ids == batch then out[1] = ids[#ids] end
return out
`;

/**
 * One page of jobs, newest first, from one index with optional extra filters checked per record.
 * ARGV: P, index key, after-id|'', limit, max records examined, status|'', queue|'', host|'', node|'', with doc '0'|'1'
 * (a page of states alone, `fields=`, skips reading each job's document: request and result).
 * Returns {next cursor id|'', {id, st, q, h, n, w, c, e, s, d, doc|false, at, ra}...}.
 */
export const LIST = `${PRELUDE}
local idx, after, limit, budget = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local want = { ARGV[6], ARGV[7], ARGV[8], ARGV[9] }
local filtered = want[1] ~= '' or want[2] ~= '' or want[3] ~= '' or want[4] ~= ''
local with_doc = ARGV[10] ~= '0'
local max = '+'
if after ~= '' then max = '(' .. after end
local items, examined, last = {}, 0, nil
local next_cursor = ''
while examined < budget do
  local batch = redis.call('ZREVRANGEBYLEX', idx, max, '-', 'LIMIT', 0, filtered and 200 or (limit + 1))
  if #batch == 0 then break end
  for _, id in ipairs(batch) do
    examined = examined + 1
    local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n', 'w', 'c', 'e', 's', 'd')
    local ok = m[1] ~= false
    for i = 1, 4 do
      if ok and want[i] ~= '' and m[i] ~= want[i] then ok = false end
    end
    if ok then
      if #items == limit then next_cursor = last; return { next_cursor, items } end
      local t = redis.call('HMGET', key('job', id), 'at', 'ra')
      items[#items + 1] = { id, m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9],
        with_doc and redis.call('GET', key('doc', id)) or false, t[1], t[2] }
    end
    last = id
    if examined >= budget then break end
  end
  max = '(' .. last
end
if examined >= budget and last then next_cursor = last end
return { next_cursor, items }
`;

/**
 * Deletes ended jobs whose retention has passed, from every index. ARGV: P, batch size.
 * Returns a flat list {id, queue, status, ...} so the caller can drop BullMQ's leftovers.
 */
export const SWEEP_EXPIRED = `${PRELUDE}
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', key('due', 'expire'), '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n', 'b', 'sc')
  if m[1] then
    unindex(id, m[1], m[2], m[3], m[4] or '', m[5] or nil)
    if m[5] then redis.call('ZREM', key('ix', 'b', m[5]), id) end
    if m[6] then redis.call('ZREM', key('ix', 'sc', m[6]), id) end
    redis.call('ZREM', key('ix', 'all'), id)
    redis.call('ZREM', key('ix', 'q', m[2]), id)
    redis.call('ZREM', key('ix', 'h', m[3]), id)
    if m[4] then redis.call('ZREM', key('ix', 'n', m[4]), id) end
    out[#out + 1] = id; out[#out + 1] = m[2]; out[#out + 1] = m[1]
  end
  redis.call('DEL', key('job', id), key('doc', id), key('sec', id))
  redis.call('ZREM', key('due', 'expire'), id)
end
return out
`;

/**
 * Fails jobs past a deadline: queued too long (ARGV[3]='queued') or started and never ended within
 * their timeout plus grace (ARGV[3]='running': its worker is gone). ARGV: P, batch size, which, result ttl ms.
 * Returns {now_ms, id, queue, started_ms|'', ...}: the time, then the jobs it failed.
 */
export const SWEEP_OVERDUE = `${PRELUDE}
local which, ttl = ARGV[3], tonumber(ARGV[4])
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', key('due', which), '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local from = which == 'queued' and 'queued' or 'started'
local message = which == 'queued' and 'the job waited in its queue longer than its TTL and was not run'
  or 'the job did not end within its timeout: its worker stopped answering'
local out = { tostring(now) }
for _, id in ipairs(ids) do
  local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n', 's', 'w')
  if m[1] == from then
    close_job(id, from, 'failed', m[2], m[3], m[4] or '', timeout_result(message), ttl, now)
    if m[6] then book_worker(m[6], id, 'failed') end
    out[#out + 1] = id; out[#out + 1] = m[2]; out[#out + 1] = m[5] or ''
  else
    redis.call('ZREM', key('due', which), id)
  end
end
return out
`;

/**
 * Scheduled jobs whose run time has come become queued (the sweeper, every SWEEP_INTERVAL_MS in every process; START
 * does the same for a job it is handed first). ARGV: P, batch size. Returns how many it made queued.
 */
export const PROMOTE_DUE = `${PRELUDE}
local ids = redis.call('ZRANGEBYSCORE', key('due', 'scheduled'), '-inf', now_ms(), 'LIMIT', 0, tonumber(ARGV[2]))
local n = 0
for _, id in ipairs(ids) do
  local m = redis.call('HMGET', key('job', id), 'st', 'q', 'h', 'n')
  if m[1] == 'scheduled' then
    promote(id, m[2], m[3], m[4] or '')
    n = n + 1
  else
    redis.call('ZREM', key('due', 'scheduled'), id)
  end
end
return n
`;

/**
 * A started job whose connection failed before any command reached its device, with attempts left (options.retry):
 * started -> scheduled, to run again in delay ms; started_at, worker and enqueued_at are cleared for the next
 * attempt, the secrets kept. ARGV: P, id, worker, delay ms. Returns {'ok', woken id|''} (a FIFO job that waited for
 * the session this attempt freed, as END returns it) or {'skip', status} when the job is no longer this worker's.
 */
export const RETRY = `${PRELUDE}
local id, worker = ARGV[2], ARGV[3]
local jk = key('job', id)
local m = redis.call('HMGET', jk, 'st', 'q', 'h', 'n', 'w', 'qt', 'b')
if m[1] ~= 'started' or m[5] ~= worker then return {'skip', m[1] or 'missing'} end
local q, h, n, b = m[2], m[3], m[4] or '', m[7] or nil
local ra = now_ms() + tonumber(ARGV[4])
unindex(id, 'started', q, h, n, b)
index(id, 'scheduled', q, h, n, b)
redis.call('HSET', jk, 'st', 'scheduled', 'ra', ra, 'qd', ra + tonumber(m[6] or '0'))
redis.call('HDEL', jk, 's', 'w', 'e')
redis.call('ZREM', key('due', 'running'), id)
redis.call('ZADD', key('due', 'scheduled'), ra, id)
local wk = key('worker', worker)
if redis.call('HGET', wk, 'current_job') == id then redis.call('HDEL', wk, 'current_job') end
redis.call('PUBLISH', key('jobev', id), 's')
local woken = ''
if redis.call('ZREM', key('hostrun', h), id) == 1 then woken = redis.call('ZPOPMIN', key('hostwait', h))[1] or '' end
return {'ok', woken}
`;
