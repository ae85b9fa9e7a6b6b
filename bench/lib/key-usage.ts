import type Redis from 'ioredis';
import { scanKeys } from './redis-keys';

export interface Family {
  keys: number;
  /** sum of MEMORY USAGE (SAMPLES 0: every element counted) */
  bytes: number;
  /** OBJECT ENCODING of the family's keys (e.g. listpack, skiplist, hashtable, raw) */
  encodings: Set<string>;
}

/**
 * MEMORY USAGE of every key under `prefix:`, summed per family (`family` names a key by the part after
 * the prefix). MEMORY USAGE counts a key's name, its dict entry and its value as allocated; not the main
 * dict's bucket array, the expires dict or fragmentation, which the INFO used_memory delta does count.
 */
export async function usageByFamily(redis: Redis, prefix: string, family: (rest: string) => string): Promise<Map<string, Family>> {
  const out = new Map<string, Family>();
  await scanKeys(redis, prefix, async (keys) => {
    const pipe = redis.pipeline();
    for (const k of keys) {
      pipe.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      pipe.call('OBJECT', 'ENCODING', k);
    }
    const replies = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const [[e1, bytes], [e2, enc]] = [replies[2 * i], replies[2 * i + 1]];
      if (e1 || e2 || bytes === null) return; // removed meanwhile
      const name = family(k.slice(prefix.length + 1));
      const f = out.get(name) ?? { keys: 0, bytes: 0, encodings: new Set<string>() };
      f.keys++;
      f.bytes += Number(bytes);
      f.encodings.add(String(enc));
      out.set(name, f);
    });
  });
  return out;
}

export const totalBytes = (families: Map<string, Family>): number => [...families.values()].reduce((a, f) => a + f.bytes, 0);

/** Our store's key families: job, doc, sec, ix:{kind}, due:{which}. */
export function storeFamily(rest: string): string {
  const [head, kind] = rest.split(':');
  if (head === 'ix' || head === 'due') return `${head}:${kind}`;
  return head;
}

/** RQ's: rq:job, rq:finished, ... */
export function rqFamily(rest: string): string {
  const [, kind] = rest.split(':');
  return `rq:${kind}`;
}

/** BullMQ's (under {prefix}:bull:{queue}:): a job hash is `{queue}:{id}`, the rest are the queue's own keys. */
export function bullFamily(rest: string): string {
  const parts = rest.split(':');
  const tail = parts.slice(2).join(':');
  return /^\d+$/.test(tail) ? 'bull:job' : `bull:${tail}`;
}
