import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/**
 * Child processes of the throughput, latency, http, ssh and cancel benchmarks: the API (`main.js`), worker
 * nodes (`worker.js`) and the benchmarks' own entry points, all compiled with the benchmarks into bench/out
 * (`tsc -p bench/tsconfig.json`, the same src/ as `npm run build`). Every child is tracked so a failing run
 * ends them by pid in its cleanup.
 */

/** bench/out/src: the API and worker node compiled with the benchmarks. */
export const OUT_SRC = join(__dirname, '..', '..', 'src');
/** bench/out/bench/lib: the benchmarks' own child entry points. */
export const OUT_LIB = __dirname;
export const REPO = join(__dirname, '..', '..', '..', '..');
/** Where `--cpu-prof` profiles go. */
export const PROFILE_DIR = join(REPO, 'bench', 'out', 'profiles');

export const BENCH_API_KEY = 'bench-key';

const live = new Set<ChildProcess>();

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface Child {
  name: string;
  child: ChildProcess;
  pid: number;
  /** the last 64 KB the process printed (stdout and stderr) */
  output(): string;
  /** resolves when the process has exited */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  /** write a V8 CPU profile of this process into PROFILE_DIR (file name starts with `name`) */
  cpuProf?: boolean;
  /** an IPC channel (child.send / process.send) */
  ipc?: boolean;
  nodeArgs?: string[];
  /** arguments after the script */
  args?: string[];
}

/** Starts `node script` with env on top of this process's environment; tracked for cleanup. */
export function spawnNode(name: string, script: string, env: Record<string, string>, opts: SpawnOptions = {}): Child {
  const nodeArgs = [...(opts.nodeArgs ?? [])];
  if (opts.cpuProf) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`);
  }
  const child = spawn(process.execPath, [...nodeArgs, script, ...(opts.args ?? [])], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 131072) out = out.slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    live.delete(child);
    resolve(code);
  }));
  return {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => out.slice(-65536),
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 15000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Ends every child still running (SIGTERM, then SIGKILL after 5 s), each by its own pid. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  })));
}

/** The environment every process of one benchmark run shares. */
export function baseEnv(redisUrl: string, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    NETPULSE_API_KEYS: BENCH_API_KEY,
    NETPULSE_KEY_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE: '2',
    ...extra,
  };
}

async function until(what: string, child: Child, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.child.exitCode !== null) throw new Error(`${what} exited with code ${child.child.exitCode}:\n${child.output()}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await child.stop('SIGKILL');
  throw new Error(`${what} not ready within ${timeoutMs} ms:\n${child.output()}`);
}

export interface ApiChild extends Child {
  base: string;
  port: number;
}

/**
 * Starts a process on a port freePort found, again on another one when the port was taken in between (a
 * loopback client socket of another process may get the same ephemeral port first: EADDRINUSE).
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (attempt >= attempts || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

/** The real API process (`main.js`) on a free port; resolves once it answers GET /health/live. */
export function startApi(env: Record<string, string>, opts: SpawnOptions & { name?: string } = {}): Promise<ApiChild> {
  return onFreePort(async (port) => {
    const child = spawnNode(opts.name ?? 'api', join(OUT_SRC, 'main.js'), { ...env, PORT: String(port) }, opts);
    const base = `http://127.0.0.1:${port}`;
    await until('the API', child, 30000, async () => (await fetch(`${base}/health/live`)).status === 200);
    return { ...child, base, port };
  });
}

export interface NodeChild extends Child {
  nodeName: string;
  probePort: number;
}

/** A real worker node process (`worker.js`); resolves once its /health/ready says its heartbeat is fresh. */
export function startWorkerNode(nodeName: string, env: Record<string, string>, opts: SpawnOptions = {}): Promise<NodeChild> {
  return onFreePort(async (probePort) => {
    const child = spawnNode(`worker-${nodeName}`, join(OUT_SRC, 'worker.js'), { ...env, NETPULSE_NODE_NAME: nodeName, WORKER_PROBE_PORT: String(probePort) }, opts);
    await until(`worker node ${nodeName}`, child, 30000, async () => (await fetch(`http://127.0.0.1:${probePort}/health/ready`)).status === 200);
    return { ...child, nodeName, probePort };
  });
}

/** RSS of a process in bytes, from /proc (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, ms, from /proc (0 when it is gone). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The 1, 5 and 15 minute load averages, for the report (the machine is shared with other runs). */
export function loadAverage(): string {
  return loadavg().map((x) => x.toFixed(2)).join(' ');
}
