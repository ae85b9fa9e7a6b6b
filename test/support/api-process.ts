import { ChildProcess, spawn } from 'node:child_process';
import { assertFreshBuild } from './fresh-build';
import { freePort } from './redis-server';

const MAIN_JS = 'main.js';

export interface ApiProcess {
  port: number;
  base: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the real API process (`node dist/main.js`) and resolves once it says it listens. A port freePort found
 * may be taken before the API binds it (a loopback client socket gets it as its ephemeral port): then another.
 */
export async function startApiProcess(env: Record<string, string>, scheme: 'http' | 'https' = 'http'): Promise<ApiProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, scheme, await freePort());
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

async function startOnce(env: Record<string, string>, scheme: 'http' | 'https', port: number): Promise<ApiProcess> {
  const child = spawn(process.execPath, [assertFreshBuild(MAIN_JS)], { env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Generous: the API starts in about a second; this only catches one that never does, on a loaded machine too.
  const deadline = Date.now() + 45000;
  while (!out.includes('NetPulse API on')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    base: `${scheme}://127.0.0.1:${port}`,
    child,
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
