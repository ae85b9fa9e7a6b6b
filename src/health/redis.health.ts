import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.constants';

const PING_TIMEOUT_MS = 1000;

/** Terminus indicator: Redis answers PING within a bounded time; reports the round trip. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    const started = performance.now();
    try {
      await withTimeout(this.redis.ping(), PING_TIMEOUT_MS);
      return check.up({ latency_ms: Math.round((performance.now() - started) * 100) / 100 });
    } catch (err) {
      return check.down({ error: (err as Error).message });
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
