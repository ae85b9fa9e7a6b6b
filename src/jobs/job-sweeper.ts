import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { QueueRegistry } from '../redis/queue-registry';
import { JobStore } from './job-store';

/**
 * Applies the job deadlines that no worker will: makes scheduled jobs queued at their run time, fails jobs that waited past JOB_TTL (their queue may
 * have no worker), fails started jobs whose worker vanished, and deletes ended jobs after JOB_RESULT_TTL,
 * indexes included. Runs in every API and node process; each step is atomic, so they never collide.
 */
@Injectable()
export class JobSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(new Logger(JobSweeper.name), 'job sweep', () => this.sweep());

  constructor(
    private readonly store: JobStore,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  /** One pass; returns how many jobs it touched. */
  async sweep(): Promise<number> {
    const ttlMs = this.config.jobResultTtlSec * 1000;
    // Scheduled jobs whose time came are listed queued even when no worker took them yet (their queue TTL runs).
    const promoted = await this.store.promoteDue();
    const overdueQueued = await this.store.sweepOverdue('queued', ttlMs);
    const overdueRunning = await this.store.sweepOverdue('running', ttlMs);
    const expired = await this.store.sweepExpired();
    // BullMQ still holds a copy of jobs that will never run; drop it (a worker skips them anyway).
    const leftovers = [...overdueQueued, ...expired.filter((e) => e.status === 'cancelled')];
    await Promise.all(leftovers.map((j) => this.queues.removeMany(j.queue, [j.id])));
    return promoted + overdueQueued.length + overdueRunning.length + expired.length;
  }
}
