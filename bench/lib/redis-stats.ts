import type Redis from 'ioredis';

/** `INFO commandstats` as command -> {calls, usec}; plus Redis's own CPU time (`INFO cpu`), ms. */
export interface RedisStats {
  commands: Map<string, { calls: number; usec: number }>;
  cpuMs: number;
}

export async function redisStats(redis: Redis): Promise<RedisStats> {
  const [cmd, cpu] = await Promise.all([redis.info('commandstats'), redis.info('cpu')]);
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const m of cmd.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) commands.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  const num = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? 0);
  return { commands, cpuMs: (num('used_cpu_user') + num('used_cpu_sys')) * 1000 };
}

export interface CommandDelta {
  command: string;
  calls: number;
  usec: number;
}

/**
 * What Redis did between two snapshots, commands sorted by time spent. Redis is shared with other runs:
 * their commands are in it too (small beside a benchmark's tens of thousands of jobs, but not nothing).
 */
export function statsDelta(before: RedisStats, after: RedisStats): { commands: CommandDelta[]; cpuMs: number } {
  const commands: CommandDelta[] = [];
  for (const [command, a] of after.commands) {
    const b = before.commands.get(command) ?? { calls: 0, usec: 0 };
    if (a.calls > b.calls) commands.push({ command, calls: a.calls - b.calls, usec: a.usec - b.usec });
  }
  commands.sort((x, y) => y.usec - x.usec);
  return { commands, cpuMs: after.cpuMs - before.cpuMs };
}
