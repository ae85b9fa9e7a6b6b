import Redis from 'ioredis';
import { REDIS_URL } from './test-env';

/** Keys that come and go on their own (BullMQ's stalled-job check, locks, queue meta written when a queue object is first used): not state a request wrote. */
const VOLATILE = /:(stalled-check|lock|meta)$/;

async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 10000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** The names of the lasting keys under the prefix, sorted. SCAN is fine here: tests, never request paths. */
export async function stateKeys(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return (await scanKeys(redis, prefix)).filter((k) => !VOLATILE.test(k)).sort();
  } finally {
    redis.disconnect();
  }
}

/**
 * Every key under the prefix whose name or value (string, hash, list, set, sorted set or stream) contains
 * one of the needles. One SCAN of the whole database: about a second per million keys, so batch needles.
 */
export async function keysContaining(prefix: string, ...needles: string[]): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const hits: string[] = [];
    for (const key of await scanKeys(redis, prefix)) {
      const type = await redis.type(key);
      let text = '';
      if (type === 'string') text = (await redis.get(key)) ?? '';
      else if (type === 'hash') text = JSON.stringify(await redis.hgetall(key));
      else if (type === 'list') text = JSON.stringify(await redis.lrange(key, 0, -1));
      else if (type === 'set') text = JSON.stringify(await redis.smembers(key));
      else if (type === 'zset') text = JSON.stringify(await redis.zrange(key, '0', '-1'));
      else if (type === 'stream') text = JSON.stringify(await redis.xrange(key, '-', '+'));
      if (needles.some((n) => key.includes(n) || text.includes(n))) hits.push(key);
    }
    return hits;
  } finally {
    redis.disconnect();
  }
}
