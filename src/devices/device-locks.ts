import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PrefixedStore } from '../redis/lua-scripts';
import { RedisConnections } from '../redis/redis-connections';
import { REDIS } from '../redis/redis.constants';
import * as lua from './device-locks.scripts';

/** A host locked after AUTH_FAILURE_LIMIT consecutive authentication failures (times in epoch ms, Redis clock). */
export interface DeviceLock {
  host: string;
  until: number;
  failures: number;
}

/**
 * Device protection's locks, as operators see and clear them. A lock is set by the job store's END script (the
 * failure that reaches AUTH_FAILURE_LIMIT) and read by its CREATE (a new job: 423) and START (a queued job fails
 * with DeviceLockedError) scripts, each in its own step: no extra round trip on the submit or run path.
 */
@Injectable()
export class DeviceLocks extends PrefixedStore<typeof lua> {
  constructor(@Inject(REDIS) redis: Redis, connections: RedisConnections) {
    super(redis, connections.keyPrefix, 'netpulseLocks', lua);
  }

  /** The hosts locked now, soonest to unlock first. */
  async list(): Promise<DeviceLock[]> {
    const flat = (await this.scripts.LIST_LOCKS(this.prefix)) as string[];
    const locks: DeviceLock[] = [];
    for (let i = 0; i < flat.length; i += 3) locks.push({ host: flat[i], until: Number(flat[i + 1]), failures: Number(flat[i + 2]) });
    return locks;
  }

  /** Clears a host's lock (and its count of failures). True when it was locked. */
  async clear(host: string): Promise<boolean> {
    return (await this.scripts.CLEAR_LOCK(this.prefix, host)) === 1;
  }
}
