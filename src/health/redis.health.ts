import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.constants';

const CHECK_TIMEOUT_MS = 1000;

export interface RedisDetails {
  status: 'up' | 'down';
  latency_ms?: number;
  connection?: string;
  used_memory?: number;
  maxmemory?: number;
  maxmemory_policy?: string;
  /** true when the eviction policy could drop queued jobs */
  eviction_risk?: boolean;
  error?: string;
}

/** Terminus indicators for Redis: reachability (readiness) and the operator's details (GET /health). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** PING within a bounded time; reports the round trip. */
  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    const started = performance.now();
    try {
      await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS);
      return check.up({ latency_ms: round(performance.now() - started) });
    } catch (err) {
      return check.down({ error: (err as Error).message });
    }
  }

  /** Round trip, connection state, memory and eviction policy: anything but noeviction can drop queued jobs. */
  async details(): Promise<RedisDetails> {
    const started = performance.now();
    try {
      const info = await withTimeout(this.redis.info('memory'), CHECK_TIMEOUT_MS);
      const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
      const policy = field('maxmemory_policy') ?? 'unknown';
      return {
        status: 'up',
        latency_ms: round(performance.now() - started),
        connection: this.redis.status,
        used_memory: Number(field('used_memory') ?? 0),
        maxmemory: Number(field('maxmemory') ?? 0),
        maxmemory_policy: policy,
        eviction_risk: policy !== 'noeviction',
      };
    } catch (err) {
      return { status: 'down', connection: this.redis.status, error: (err as Error).message };
    }
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
