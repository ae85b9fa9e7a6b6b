import { LUA_PRELUDE } from '../redis/lua-scripts';

/**
 * Lua scripts of device protection's locks. Keys (P = prefix; written by the job store's END script, which counts
 * the refused logins of each job in the step that ends it, see jobs/job-store.scripts.ts):
 *   P:authfail:{host}  consecutive authentication failures on the host
 *   P:lock:{host}      hash until, failures, since (ms, Redis clock); expires at until
 *   P:locks            zset host -> until of the locks set, so they are listed without a scan
 */
const PRELUDE = LUA_PRELUDE;

/** The locks in force, soonest to end first. ARGV: P. Returns {host, until, failures, ...}; drops entries that ended. */
export const LIST_LOCKS = `${PRELUDE}
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', key('locks'), '-inf', now)
local out = {}
for _, host in ipairs(redis.call('ZRANGE', key('locks'), 0, -1)) do
  local lock = redis.call('HMGET', key('lock', host), 'until', 'failures')
  if lock[1] then
    out[#out + 1] = host; out[#out + 1] = lock[1]; out[#out + 1] = lock[2] or '0'
  else
    redis.call('ZREM', key('locks'), host)
  end
end
return out
`;

/** Clears a host's lock and its count of failures. ARGV: P, host. Returns 1 when the host was locked, else 0. */
export const CLEAR_LOCK = `${PRELUDE}
local host = ARGV[2]
local was = redis.call('DEL', key('lock', host))
redis.call('ZREM', key('locks'), host)
redis.call('DEL', key('authfail', host))
return was
`;
