import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type Redis from 'ioredis';

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trimEnd();
  } catch {
    return '(unavailable)';
  }
};

/** Which code was measured: the commit, and whether the job store differs from it in the working tree. */
function codeLine(): string {
  const head = run('git', ['rev-parse', '--short', 'HEAD']);
  const store = run('git', ['status', '--porcelain', '--', 'src/jobs/job-store.ts', 'src/jobs/job-store.scripts.ts']);
  const dirty = run('git', ['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean).length;
  return `- code: commit ${head}; working tree: ${dirty} changed paths under src/`
    + (store ? `, the job store among them (${store.split('\n').map((l) => l.trim()).join('; ')})` : ', job store as committed');
}

/** The machine a result was measured on, as markdown lines. */
export async function machineLines(redis: Redis): Promise<string[]> {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
  const server = await redis.info('server');
  const redisVersion = /^redis_version:(.+)$/m.exec(server)?.[1]?.trim() ?? 'unknown';
  const mem = await redis.info('memory');
  const maxmemory = /^maxmemory:(\d+)/m.exec(mem)?.[1] ?? '?';
  return [
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${model}${mhz ? ` (${Math.round(Number(mhz))} MHz)` : ''} (/proc/cpuinfo); \`nproc\` = ${run('nproc', [])}`,
    codeLine(),
    `- node ${process.version}; Redis ${redisVersion} (maxmemory ${maxmemory}), shared with other test runs`,
    '- `free -h`:',
    '',
    '```',
    run('free', ['-h']),
    '```',
  ];
}
