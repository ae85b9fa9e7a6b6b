import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { FleetStore } from '../workers/fleet-store';
import { RedisHealthIndicator } from './redis.health';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, unknown>;
}

/**
 * The full report of GET /health. This first version reports Redis reachability and the live nodes;
 * the operations issue extends it (memory, eviction policy, queue depths, API figures, caching).
 */
@Injectable()
export class HealthReporter {
  private readonly startedAt = Date.now();

  constructor(
    private readonly redis: RedisHealthIndicator,
    private readonly fleet: FleetStore,
    private readonly config: AppConfig,
  ) {}

  async report(): Promise<HealthReport> {
    const redis = (await this.redis.isHealthy()).redis as { status: string; latency_ms?: number; error?: string };
    const api = { status: 'up', uptime_s: Math.round((Date.now() - this.startedAt) / 1000) };
    if (redis.status !== 'up') {
      const body = { status: 'down' as const, checks: { api, redis } };
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Redis is unreachable', body);
    }
    const nodes = await this.fleet.liveNodes(this.config.workerTtlSec * 1000);
    const workers = { nodes: nodes.length, fifo_capacity: nodes.reduce((n, x) => n + x.fifo_concurrency, 0), pinned: nodes.reduce((n, x) => n + x.pinned_count, 0) };
    return { status: 'ok', checks: { api, redis, workers } };
  }
}
