import { ChildProcess, spawn } from 'node:child_process';
import { assertFreshBuild } from './fresh-build';

const WORKER_JS = 'worker.js';
const START_BOUND_MS = 45_000;

/**
 * Every node process the test file started, until it exits. At the end of the file those still running are killed,
 * whatever failed before a test could keep them (a sibling of a node that did not start in a Promise.all, a node left
 * frozen by SIGSTOP): a live child holds Jest open after the run and keeps beating into Redis.
 */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
});

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** port of its /health/live and /health/ready (WORKER_PROBE_PORT; any free port unless env sets one) */
  probePort: number;
  /** everything the process printed, for assertions (no secret may appear) */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a real worker node process (`node dist/worker.js`: run `npm run build` first) and resolves
 * once it reports ready.
 */
export async function startWorkerNode(name: string, env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [assertFreshBuild(WORKER_JS)], {
    env: { ...process.env, ...env, NETPULSE_NODE_NAME: name, WORKER_PROBE_PORT: env.WORKER_PROBE_PORT ?? '0', LOG_LEVEL: 'log' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    // A node starts in 1 to 3 s; the bound only turns a node that never starts into a failure, with room for a
    // loaded machine (several suites at once on two cores have taken longer than 15 s).
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${name} not ready in ${START_BOUND_MS / 1000} s:\n${out}`));
    }, START_BOUND_MS);
    const onData = () => {
      if (out.includes(`worker node ${name} ready`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${name} exited with ${code}:\n${out}`));
    });
  });
  return {
    name,
    child,
    probePort: Number(new RegExp(`worker node ${name} ready; probes on :(\\d+)`).exec(out)?.[1]),
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
