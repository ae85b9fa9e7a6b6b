import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { ApiError } from '../common/api-error';
import { RedisConnections } from '../redis/redis-connections';
import { REDIS } from '../redis/redis.constants';

/** How long a key remembers its job. */
const KEY_TTL_MS = 24 * 3600 * 1000;
/** A retry that arrives while the first request is still being handled waits this long for its job id. */
const PENDING_WAIT_MS = 3000;
const PENDING = 'pending';
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The optional Idempotency-Key header of POST /device/execute: a retried request with the same key (and the
 * same API key) gets the first job back instead of a second one. Keys live 24 h, as digests.
 */
@Injectable()
export class IdempotencyKeys {
  private readonly prefix: string;

  constructor(@Inject(REDIS) private readonly redis: Redis, connections: RedisConnections) {
    this.prefix = connections.keyPrefix;
  }

  /** Runs create() once per key; a repeat returns the id of the first job. */
  async once(key: string, scope: string, create: () => Promise<string>): Promise<{ id: string; replayed: boolean }> {
    const redisKey = `${this.prefix}:idem:${createHash('sha256').update(`${scope}\0${key}`).digest('hex')}`;
    const claimed = await this.redis.set(redisKey, PENDING, 'PX', KEY_TTL_MS, 'NX');
    if (claimed === 'OK') {
      try {
        const id = await create();
        await this.redis.set(redisKey, id, 'PX', KEY_TTL_MS);
        return { id, replayed: false };
      } catch (err) {
        await this.redis.del(redisKey);
        throw err;
      }
    }
    const deadline = Date.now() + PENDING_WAIT_MS;
    for (;;) {
      const value = await this.redis.get(redisKey);
      if (value && value !== PENDING) return { id: value, replayed: true };
      if (value === null) return this.once(key, scope, create); // the first attempt failed: this one may run
      if (Date.now() > deadline) throw new ApiError(HttpStatus.CONFLICT, 'A request with this Idempotency-Key is still being processed; retry shortly');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** The Idempotency-Key header, checked, scoped to the caller's API key (never stored: only its digest). */
export function idempotencyOf(key: string | undefined, apiKey: string | undefined): { key: string; scope: string } | undefined {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw ApiError.badRequest('Invalid Idempotency-Key header', [{ field: 'Idempotency-Key', error: 'must be 1-255 visible ASCII characters' }]);
  }
  return { key, scope: createHash('sha256').update(apiKey ?? '').digest('hex') };
}
