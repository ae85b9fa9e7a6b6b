import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { QueueRegistry } from '../redis/queue-registry';
import { JobStore } from './job-store';

/**
 * Applies the job deadlines that no worker will: fails jobs that waited past JOB_TTL (their queue may
 * have no worker), fails started jobs whose worker vanished, and deletes ended jobs after JOB_RESULT_TTL,
 * indexes included. Runs in every API and node process; each step is atomic, so they never collide.
 */
@Injectable()
export class JobSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly store: JobStore,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; returns how many jobs it touched. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const ttlMs = this.config.jobResultTtlSec * 1000;
      const overdueQueued = await this.store.sweepOverdue('queued', ttlMs);
      const overdueRunning = await this.store.sweepOverdue('running', ttlMs);
      const expired = await this.store.sweepExpired();
      // BullMQ still holds a copy of jobs that will never run; drop it (a worker skips them anyway).
      const leftovers = [...overdueQueued, ...expired.filter((e) => e.status === 'cancelled')];
      await Promise.all(leftovers.map((j) => this.queues.removeMany(j.queue, [j.id])));
      return overdueQueued.length + overdueRunning.length + expired.length;
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
