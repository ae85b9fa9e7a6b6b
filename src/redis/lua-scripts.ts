import type Redis from 'ioredis';

/**
 * The first lines of every script: P is the key prefix (ARGV[1]), key(a, b, c, d) joins up to four parts under it, now_ms()
 * reads the Redis clock, so TTLs and heartbeats never depend on a process's clock.
 */
export const LUA_PRELUDE = `
local P = ARGV[1]
-- Up to four parts, no varargs: building a table per call made key() half of a small script's run time.
local function key(a, b, c, d)
  if d then return P .. ':' .. a .. ':' .. b .. ':' .. c .. ':' .. d end
  if c then return P .. ':' .. a .. ':' .. b .. ':' .. c end
  if b then return P .. ':' .. a .. ':' .. b end
  return P .. ':' .. a
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

export type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Registers Lua scripts on a connection (ioredis sends EVALSHA and falls back to EVAL once)
 * and returns them as functions by name. Scripts take no KEYS: they build keys from ARGV[1], the prefix.
 */
/**
 * Base of the stores that own a family of keys under the configured prefix (the job store, the fleet store):
 * the prefix, key names, and the store's scripts registered on the shared connection.
 */
export abstract class PrefixedStore<T extends Record<string, string>> {
  protected readonly scripts: Record<keyof T, ScriptFn>;

  constructor(protected readonly redis: Redis, protected readonly prefix: string, namespace: string, scripts: T) {
    this.scripts = defineScripts(redis, namespace, scripts);
  }

  protected key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}

export function defineScripts<T extends Record<string, string>>(redis: Redis, namespace: string, scripts: T): Record<keyof T, ScriptFn> {
  const fns = {} as Record<keyof T, ScriptFn>;
  for (const [name, source] of Object.entries(scripts)) {
    const command = `${namespace}${name}`;
    if (!(command in redis)) redis.defineCommand(command, { numberOfKeys: 0, lua: source });
    const fn = (redis as unknown as Record<string, ScriptFn>)[command];
    fns[name as keyof T] = (...args) => fn.apply(redis, args);
  }
  return fns;
}
