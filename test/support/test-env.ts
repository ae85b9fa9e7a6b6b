import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_API_KEY = 'test-key-0123456789';

/** A key prefix of this test file alone, so files run in parallel and twice in a row without meeting. */
export function uniquePrefix(name: string): string {
  return `t_${name}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

/**
 * The environment a test's API and worker nodes run with. Fast timings so tests are quick;
 * every process of one test shares the prefix.
 */
export function testEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL,
    NETPULSE_API_KEYS: `${TEST_API_KEY},second-key-for-rotation`,
    NETPULSE_KEY_PREFIX: prefix,
    HEARTBEAT_INTERVAL: '1',
    WORKER_TTL: '4',
    SWEEP_INTERVAL_MS: '200',
    LOG_LEVEL: 'error',
    ...extra,
  };
}

/** Applies env to this process (for an in-process API) and returns a function that restores it. */
export function applyEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Deletes every key under the prefix. SCAN is fine here: tests, never request paths. */
export async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until check() returns a truthy value, or fails with what it last saw. */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  // An Error serialises to {}: show its message and stack, so a timeout says what kept failing.
  const seen = last instanceof Error ? `${last.name}: ${last.message}\n${last.stack ?? ''}` : JSON.stringify(last);
  throw new Error(`condition not met within ${timeoutMs} ms; last: ${seen}`);
}
