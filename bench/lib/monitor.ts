import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
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

/** Splits a MONITOR line's quoted arguments (redis-cli prints them as "a" "b" with backslash escapes). */
function parseArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push(m[1]);
  return out;
}

/**
 * MONITOR through `redis-cli monitor` (a plain line reader: ioredis's monitor mode trips over other clients'
 * RESP3 HELLO lines on a shared Redis). Lines look like `1700000000.123456 [0 127.0.0.1:5555] "evalsha" "..."`
 * and `... [0 lua] "ZADD" ...` for the commands a script runs.
 */
export async function startMonitor(url: string, prefix: string): Promise<{ stop(): Promise<MonitorSummary> }> {
  const names = scriptNames();
  const child = spawn('redis-cli', ['-u', url, 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const summary: MonitorSummary = { scripts: new Map(), plain: new Map(), requests: 0 };
  let current: ScriptCount | null = null;
  let buffer = '';
  const onLine = (line: string) => {
    const head = /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
    if (!head) return;
    const source = head[1];
    const args = parseArgs(head[2]);
    if (args.length === 0) return;
    const cmd = args[0].toLowerCase();
    if (source === 'lua') {
      if (current) current.inner.set(cmd.toUpperCase(), (current.inner.get(cmd.toUpperCase()) ?? 0) + 1);
      return;
    }
    const ours = head[2].includes(prefix);
    if (cmd === 'evalsha' || cmd === 'eval') {
      if (!ours) {
        current = null;
        return;
      }
      const name = cmd === 'evalsha' ? (names.get(args[1]) ?? `sha ${args[1].slice(0, 8)}`) : 'eval (script not cached yet)';
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
  };
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  });
  // Wait for redis-cli's "OK" before the measured traffic starts.
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      if (d.toString().includes('OK')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    setTimeout(resolve, 2000).unref();
  });
  return {
    stop: async () => {
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      return summary;
    },
  };
}
