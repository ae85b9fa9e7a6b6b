import Redis from 'ioredis';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './procs';

/** Debian's Python, where python3-rq and python3-netmiko install (the baselines). */
export const PYTHON = '/usr/bin/python3';
/** RQ gets a database of its own, emptied at the end (each benchmark checks it is empty first). */
export const RQ_URL = process.env.RQ_REDIS_URL ?? 'redis://127.0.0.1:6379/3';

/** Installs the Debian package `pkg` with apt when Python cannot import `module`. */
export function ensurePythonModule(module: string, pkg: string): void {
  const has = () => {
    try {
      execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (has()) return;
  console.log(`${pkg} is missing: apt-get install -y ${pkg}`);
  execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'inherit' });
  if (!has()) throw new Error(`${pkg} could not be installed`);
}

/**
 * Runs a baseline script of bench/lib (PYTHONPATH set to it) and returns the JSON of its last stdout line;
 * a non-zero exit rejects with `what` and the end of its stderr, one that outlives timeoutMs is killed.
 */
export function runPythonBaseline<T>(script: string, args: (string | number)[], what: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(PYTHON, [join(REPO, 'bench', 'lib', script), ...args.map(String)], {
      env: { ...process.env, PYTHONPATH: join(REPO, 'bench', 'lib') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${what} exited with ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
      } catch (err) {
        reject(new Error(`${what} printed no JSON result: ${(err as Error).message}`));
      }
    });
  });
}

/**
 * The Redis database of the RQ baselines (RQ_URL): a benchmark claims it (python3-rq installed, the database empty)
 * before its first RQ run, empties it after each run, and releases it at the end, even when the run fails.
 */
export class RqDatabase {
  readonly redis = new Redis(RQ_URL);
  private claimed = false;

  async claim(): Promise<void> {
    ensurePythonModule('rq', 'python3-rq');
    const keys = await this.redis.dbsize();
    if (keys > 0) throw new Error(`${RQ_URL} holds ${keys} keys: RQ needs an empty database of its own (set RQ_REDIS_URL)`);
    this.claimed = true;
  }

  async empty(): Promise<void> {
    await this.redis.flushdb();
  }

  async release(): Promise<void> {
    if (this.claimed) await this.redis.flushdb();
    this.redis.disconnect();
  }
}
