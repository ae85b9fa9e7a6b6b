import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { freePort } from './procs';

export const BENCH_API_KEY = 'bench-key';

/** The API compiled with the benchmarks (bench/out/src/main.js): the same code the data-layer figures ran. */
const MAIN = join(__dirname, '..', '..', 'src', 'main.js');
const REPO = join(__dirname, '..', '..', '..', '..');

/**
 * Compiles the API as it is at a git revision (src/ and tsconfig.json from \`git archive\`) into
 * bench/out/api-{sha}/ and returns its main.js: HTTP figures for a revision other than the working tree
 * (one that is mid-edit and does not start, or an older one to compare with).
 */
export function buildApiAt(rev: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], { cwd: REPO, encoding: 'utf8' }).trim();
  const dir = join(REPO, 'bench', 'out', `api-${sha}`);
  const main = join(dir, 'dist', 'main.js');
  if (existsSync(main)) return main;
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} src tsconfig.json | tar -x -C '${dir}'`], { cwd: REPO, stdio: 'inherit' });
  execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  return main;
}


export interface RunningApi {
  base: string;
  pid: number;
  main: string;
  stop(): Promise<void>;
}

/**
 * Starts the real API process on a free port against `prefix`. The sweeper is pushed out to an hour so
 * nothing changes the stored jobs while they are measured.
 */
export async function startApi(redisUrl: string, prefix: string, entry = MAIN): Promise<RunningApi> {
  const main = resolve(entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: compile with tsc -p bench/tsconfig.json`);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: REPO,
    env: {
      ...process.env, REDIS_URL: redisUrl, NETPULSE_API_KEYS: BENCH_API_KEY, NETPULSE_KEY_PREFIX: prefix,
      PORT: String(port), LOG_LEVEL: 'warn', SWEEP_INTERVAL_MS: '3600000', JOB_RESULT_TTL: '86400',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(base, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, pid: child.pid ?? -1, main: relative(REPO, main), stop };
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/job?limit=1`, { headers: { 'X-API-KEY': BENCH_API_KEY } });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not answer within 30 s');
}
