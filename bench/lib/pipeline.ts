import { join } from 'node:path';
import { Child, OUT_LIB, spawnNode, SpawnOptions } from './procs';

export type PipelineRole = 'worker' | 'submitter' | 'both' | 'bull-worker' | 'bull-submitter';

export interface IpcChild extends Child {
  /** Sends a message and resolves with the child's next reply (rejects on {type:'error'}, exit or timeout). */
  request<T>(msg: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** The child's next message (sent without a request). */
  next<T>(timeoutMs?: number): Promise<T>;
  send(msg: Record<string, unknown>): void;
  /** Asks the child to stop ({type:'stop'}) and waits for its exit; kills it if it does not within 20 s. */
  close(): Promise<void>;
}

/** Starts a benchmark child entry point with an IPC channel and waits for its {type:'ready'}. */
export async function startIpcChild(name: string, script: string, env: Record<string, string>, opts: SpawnOptions = {}): Promise<IpcChild> {
  const child = spawnNode(name, script, env, { ...opts, ipc: true });
  const proc = child.child;
  const next = <T>(timeoutMs: number): Promise<T> => new Promise<T>((resolve, reject) => {
    const onMessage = (msg: { type: string; message?: string }) => {
      cleanup();
      if (msg.type === 'error') reject(new Error(`${name}: ${msg.message}`));
      else resolve(msg as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${name} exited (${code}):\n${child.output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${name}: no answer within ${timeoutMs} ms:\n${child.output()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
  await next<{ type: 'ready' }>(60_000);
  return {
    ...child,
    next: <T>(timeoutMs = 280_000) => next<T>(timeoutMs),
    send: (msg: Record<string, unknown>) => {
      proc.send(msg);
    },
    request: <T>(msg: Record<string, unknown>, timeoutMs = 280_000) => {
      const reply = next<T>(timeoutMs);
      proc.send(msg);
      return reply;
    },
    close: async () => {
      if (proc.connected) proc.send({ type: 'stop' });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await child.exited;
      clearTimeout(timer);
    },
  };
}

/** bench/lib/pipeline-child.js in a role (worker node with the no-op driver, API-side submitter, or both). */
export function startPipelineChild(role: PipelineRole, name: string, env: Record<string, string>, opts: SpawnOptions = {}): Promise<IpcChild> {
  return startIpcChild(name, join(OUT_LIB, 'pipeline-child.js'), env, { ...opts, args: [role] });
}

export interface DeviceHost extends IpcChild {
  devices: { host: string; port: number }[];
  /** SSH connections open on the devices now, opened since start, commands typed since the last call */
  stats(): Promise<{ open: number; opened: number; commands: number }>;
}

/** Credentials of every fake device (test/support/fake-device defaults). */
export const DEVICE_LOGIN = { username: 'admin', password: 'admin-password', secret: 'enable-secret' };

/** Fake cisco_ios SSH devices on the given loopback addresses, in a child process. */
export async function startDevices(hosts: string[]): Promise<DeviceHost> {
  const child = await startIpcChild('devices', join(OUT_LIB, 'device-child.js'), {});
  const { devices } = await child.request<{ devices: { host: string; port: number }[] }>({ type: 'start', hosts }, 120_000);
  return { ...child, devices, stats: () => child.request({ type: 'stats' }, 30_000) };
}
