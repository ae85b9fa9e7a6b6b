import Redis from 'ioredis';

export type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Registers Lua scripts on a connection (ioredis sends EVALSHA and falls back to EVAL once)
 * and returns them as functions by name. Scripts take no KEYS: they build keys from ARGV[1], the prefix.
 */
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
