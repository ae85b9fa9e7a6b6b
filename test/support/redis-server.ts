import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { commandRequirement } from './requirements';

/** A redis-server of the test's own, on a free loopback port: fault tests stop and pause it, never the shared one. */
export interface OwnRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  pause(): void;
  resume(): void;
}

export const redisServerRequirement = commandRequirement('redis-server', ['--version'], 'redis-server');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** extraArgs replace nothing: they are appended (e.g. --requirepass, --tls-port, --sentinel). */
export async function startOwnRedis(
  extraArgs: (port: number) => string[] = () => [],
  readyText = 'Ready to accept connections',
  /** the whole command line instead (a sentinel takes its config file first and no data options) */
  fullArgs?: (port: number) => string[],
): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const own: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const args = fullArgs?.(port)
        ?? ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...extraArgs(port)];
      child = spawn('redis-server', args, { stdio: 'pipe' });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`redis-server not ready: ${out}`)), 5000);
        child!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(readyText)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      c.kill('SIGCONT');
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
  };
  await own.start();
  return own;
}
