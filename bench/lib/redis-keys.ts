import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix of this run alone: the Redis is shared, so a benchmark touches nothing else. */
export function benchPrefix(name: string): string {
  return `bench_${name}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

/**
 * A fresh prefix as long as the default \`netpulse\` (key names are part of what a key costs), checked to hold
 * no key yet: \`b\` and 7 random hex digits.
 */
export async function productionLengthPrefix(redis: Redis): Promise<string> {
  for (;;) {
    const prefix = `b${randomBytes(4).toString('hex').slice(0, 7)}`;
    let used = false;
    await scanKeys(redis, prefix, async () => {
      used = true;
    });
    if (!used) return prefix;
  }
}

/** Every key under `prefix:`, by SCAN (a benchmark's own bookkeeping, never a request path). */
export async function scanKeys(redis: Redis, prefix: string, onKeys: (keys: string[]) => Promise<void>): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) await onKeys(keys);
  } while (cursor !== '0');
}

/** Removes every key under the prefix with SCAN + UNLINK in batches; returns how many. */
export async function removePrefix(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  await scanKeys(redis, prefix, async (keys) => {
    for (let i = 0; i < keys.length; i += 1000) removed += await redis.unlink(...keys.slice(i, i + 1000));
  });
  return removed;
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

/**
 * Runs `main`, then `cleanup` whatever happens: normal end, error, Ctrl-C or SIGTERM.
 * A second signal during cleanup exits at once.
 */
export function runWithCleanup(main: () => Promise<void>, cleanup: () => Promise<void>): void {
  let cleaning: Promise<void> | null = null;
  const clean = (): Promise<void> => (cleaning ??= cleanup().catch((err: Error) => console.error(`cleanup failed: ${err.message}`)));
  const onSignal = (signal: string) => {
    if (cleaning) process.exit(130);
    console.error(`\n${signal}: removing this run's keys...`);
    void clean().then(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  main()
    .then(clean)
    .catch(async (err: Error) => {
      console.error(err.stack ?? err.message);
      await clean();
      process.exitCode = 1;
    });
}
