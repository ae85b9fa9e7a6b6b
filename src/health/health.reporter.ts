import { Injectable } from '@nestjs/common';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { DeviceLocks } from '../devices/device-locks';
import { JobStore } from '../jobs/job-store';
import { RequestStats } from '../metrics/request-stats';
import { RedisHealthIndicator, withTimeout } from './redis.health';
import { WorkerHeartbeatIndicator } from './worker-heartbeat.health';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, unknown>;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * The full report of GET /health: API figures, Redis, workers, queues, devices. Checks run concurrently, each with a
 * timeout; the report is reused for HEALTH_CACHE_MS so frequent scrapes do not hammer Redis.
 * down: Redis unreachable. degraded: an eviction policy that can drop jobs, no live worker, or a check failed.
 * devices lists the hosts locked after repeated authentication failures: a locked device protects itself as meant,
 * so it does not degrade the service.
 */
@Injectable()
export class HealthReporter {
  private cached: { at: number; report: Promise<HealthReport> } | null = null;
  private readonly time: TimeFormatter;

  constructor(
    private readonly redis: RedisHealthIndicator,
    private readonly workers: WorkerHeartbeatIndicator,
    private readonly jobs: JobStore,
    private readonly requests: RequestStats,
    private readonly locks: DeviceLocks,
    private readonly config: AppConfig,
  ) {
    this.time = new TimeFormatter(config.timeZone);
  }

  report(): Promise<HealthReport> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.config.healthCacheMs) this.cached = { at: now, report: this.build() };
    return this.cached.report;
  }

  private async build(): Promise<HealthReport> {
    const redis = await this.redis.details();
    const api = { status: 'up', ...this.requests.figures() };
    if (redis.status === 'down') return { status: 'down', checks: { api, redis } };
    const [workers, queues, devices] = await Promise.all([
      settle(this.workers.check()),
      settle(this.jobs.queueCounts().then((counts) => ({ status: 'up', counts }))),
      settle(this.lockedDevices()),
    ]);
    const degraded = redis.eviction_risk || workers.status !== 'up' || queues.status !== 'up';
    return { status: degraded ? 'degraded' : 'ok', checks: { api, redis, workers, queues, devices } };
  }

  private async lockedDevices(): Promise<{ status: 'up'; locked: { host: string; locked_until: string; failures: number }[] }> {
    const locks = await this.locks.list();
    return { status: 'up', locked: locks.map((l) => ({ host: l.host, locked_until: this.time.format(l.until), failures: l.failures })) };
  }
}

/** A check's result, or `down` with its error when it failed or timed out. */
async function settle<T extends { status: string }>(check: Promise<T>): Promise<T | { status: 'down'; error: string }> {
  try {
    return await withTimeout(check, CHECK_TIMEOUT_MS);
  } catch (err) {
    return { status: 'down', error: (err as Error).message };
  }
}
