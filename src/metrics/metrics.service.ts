import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { DeviceLocks } from '../devices/device-locks';
import { HISTOGRAM_BOUNDS } from '../jobs/histogram-bounds';
import { JobStore } from '../jobs/job-store';
import { REDIS } from '../redis/redis.constants';
import { FleetStore } from '../workers/fleet-store';
import { WorkersService } from '../workers/workers.service';

const EVENTS = ['submitted', 'finished', 'failed', 'cancelled'] as const;

/**
 * Prometheus metrics. Job counters and histograms are cluster-wide (every process's JobTally adds its own to
 * Redis each second, so any API replica reports the same); HTTP figures are this process's own.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly jobs: JobStore,
    private readonly fleet: FleetStore,
    private readonly workers: WorkersService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly locks: DeviceLocks,
    private readonly config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'netpulse_' });
    this.http = new Histogram({
      name: 'netpulse_http_request_duration_seconds', help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'], registers: [this.registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.jobCounters();
    this.gauges();
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** The exposition text: the registry plus the Redis-kept job histograms. */
  async render(): Promise<string> {
    const [base, wait, run] = await Promise.all([this.registry.metrics(), this.jobs.histogram('wait'), this.jobs.histogram('run')]);
    return base
      + histogramText('netpulse_job_queue_wait_seconds', 'Time jobs waited between enqueue and start (cluster-wide)', wait)
      + histogramText('netpulse_job_run_seconds', 'Time jobs ran between start and end (cluster-wide)', run);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private jobCounters(): void {
    for (const event of EVENTS) {
      const jobs = this.jobs;
      new Counter({
        name: `netpulse_jobs_${event}_total`, help: `Jobs ${event}, by queue type (cluster-wide)`,
        labelNames: ['queue_type'], registers: [this.registry],
        async collect() {
          const counters = await jobs.counters();
          this.reset();
          for (const type of ['fifo', 'pinned']) this.inc({ queue_type: type }, counters[`${event}:${type}`] ?? 0);
        },
      });
    }
  }

  private gauges(): void {
    const { jobs, fleet, workers, redis, config, locks } = this;
    new Gauge({
      name: 'netpulse_queue_jobs', help: 'Jobs per queue and state (queued is the queue depth)', labelNames: ['queue', 'state'], registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(await jobs.queueCounts())) {
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
        }
      },
    });
    new Gauge({
      name: 'netpulse_workers', help: 'Workers by status', labelNames: ['status'], registers: [this.registry],
      async collect() {
        this.reset();
        const counts: Record<string, number> = { busy: 0, idle: 0, suspended: 0, dead: 0 };
        for (const w of await workers.list({})) counts[w.status]++;
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'netpulse_node_pinned_capacity_used_ratio', help: 'Pinned workers / capacity per live node', labelNames: ['node'], registers: [this.registry],
      async collect() {
        this.reset();
        for (const n of await fleet.liveNodes(config.workerTtlSec * 1000)) this.set({ node: n.name }, n.capacity ? n.pinned_count / n.capacity : 0);
      },
    });
    new Gauge({
      name: 'netpulse_device_locked', labelNames: ['host'], registers: [this.registry],
      help: 'Hosts locked after AUTH_FAILURE_LIMIT consecutive authentication failures (1 per locked host; new jobs get 423)',
      async collect() {
        this.reset();
        for (const lock of await locks.list()) this.set({ host: lock.host }, 1);
      },
    });
    new Gauge({
      name: 'netpulse_redis_roundtrip_seconds', help: 'Round trip of a PING to Redis at scrape time', registers: [this.registry],
      async collect() {
        const t0 = process.hrtime.bigint();
        await redis.ping();
        this.set(Number(process.hrtime.bigint() - t0) / 1e9);
      },
    });
  }
}

/** Prometheus text for a histogram kept as non-cumulative buckets (index of HISTOGRAM_BOUNDS, 1-based). */
export function histogramText(name: string, help: string, h: Record<string, number>): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  let cumulative = 0;
  HISTOGRAM_BOUNDS.forEach((bound, i) => {
    cumulative += h[String(i + 1)] ?? 0;
    lines.push(`${name}_bucket{le="${bound}"} ${cumulative}`);
  });
  cumulative += h[String(HISTOGRAM_BOUNDS.length + 1)] ?? 0;
  // The count is the +Inf bucket: the job store keeps no count field of its own.
  lines.push(`${name}_bucket{le="+Inf"} ${cumulative}`, `${name}_sum ${h.sum ?? 0}`, `${name}_count ${cumulative}`);
  return `${lines.join('\n')}\n`;
}
