import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import * as jobLua from '../../src/jobs/job-store.scripts';
import * as fleetLua from '../../src/workers/fleet-store.scripts';

/**
 * Counts what a benchmark run sends to Redis, from MONITOR (only in profiling runs: MONITOR slows Redis down):
 * every script call by name (ours and BullMQ's, recognised by the SHA1 of their source) with the commands it ran
 * inside Redis, and every plain command. Only traffic naming the run's key prefix is counted (the Redis is shared).
 */
export interface ScriptCount {
  calls: number;
  /** commands run inside the script, by name */
  inner: Map<string, number>;
}
export interface MonitorSummary {
  scripts: Map<string, ScriptCount>;
  plain: Map<string, number>;
  /** top-level commands (scripts + plain): each is a request/response on some connection */
  requests: number;
}

function scriptNames(): Map<string, string> {
  const sha = (s: string) => createHash('sha1').update(s).digest('hex');
  const names = new Map<string, string>();
  for (const [name, src] of Object.entries(jobLua)) if (typeof src === 'string') names.set(sha(src), `job-store ${name}`);
  for (const [name, src] of Object.entries(fleetLua)) if (typeof src === 'string') names.set(sha(src), `fleet-store ${name}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bull = require('bullmq/dist/cjs/scripts') as Record<string, { name: string; content: string }>;
  for (const s of Object.values(bull)) if (s && typeof s.content === 'string') names.set(sha(s.content), `BullMQ ${s.name}`);
  return names;
}

export async function startMonitor(url: string, prefix: string): Promise<{ stop(): Promise<MonitorSummary> }> {
  const names = scriptNames();
  const conn = new Redis(url);
  const monitor = await conn.monitor();
  const summary: MonitorSummary = { scripts: new Map(), plain: new Map(), requests: 0 };
  let current: ScriptCount | null = null;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const cmd = String(args[0]).toLowerCase();
    if (source === 'lua') {
      if (current) current.inner.set(cmd.toUpperCase(), (current.inner.get(cmd.toUpperCase()) ?? 0) + 1);
      return;
    }
    const ours = args.some((a) => String(a).includes(prefix));
    if (cmd === 'evalsha' || cmd === 'eval') {
      if (!ours) {
        current = null;
        return;
      }
      const name = cmd === 'evalsha' ? (names.get(String(args[1])) ?? `sha ${String(args[1]).slice(0, 8)}`) : 'eval (first call)';
      current = summary.scripts.get(name) ?? { calls: 0, inner: new Map() };
      current.calls++;
      summary.scripts.set(name, current);
      summary.requests++;
      return;
    }
    current = null;
    if (!ours) return;
    summary.plain.set(cmd, (summary.plain.get(cmd) ?? 0) + 1);
    summary.requests++;
  });
  return {
    stop: async () => {
      await new Promise((r) => setTimeout(r, 200));
      monitor.disconnect();
      conn.disconnect();
      return summary;
    },
  };
}
