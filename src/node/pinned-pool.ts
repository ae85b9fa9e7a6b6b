import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { pinnedQueueName } from '../redis/redis.constants';
import { WorkerFactory } from '../redis/worker-factory';
import { JobRunner } from './job-runner';
import { KeptSession } from './session-source';

interface PinnedWorker {
  name: string;
  worker: Worker;
  session: KeptSession;
}

/**
 * The pinned workers of this node, one per device host: each consumes `pinned_{host}` one job at a
 * time, in order, over one SSH session kept open between jobs.
 */
@Injectable()
export class PinnedPool implements OnApplicationShutdown {
  private readonly logger = new Logger(PinnedPool.name);
  private readonly pool = new Map<string, PinnedWorker>();

  constructor(
    private readonly workers: WorkerFactory,
    private readonly runner: JobRunner,
    private readonly config: AppConfig,
  ) {}

  get size(): number {
    return this.pool.size;
  }

  /** Starts the pinned worker of host unless it runs already. */
  ensure(host: string): void {
    if (this.pool.has(host)) return;
    const name = `${pinnedQueueName(host)}@${this.config.nodeName}`;
    const session = new KeptSession(this.config.pinnedIdleTimeoutSec * 1000);
    const worker = this.workers.create(pinnedQueueName(host), (job: Job) => this.runner.run(job.id as string, name, session), { concurrency: 1 });
    worker.on('error', (err) => this.logger.warn(`${name}: ${err.message}`));
    this.pool.set(host, { name, worker, session });
    this.logger.log(`pinned worker ${name} started`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pool.values()].map(async (p) => {
      await p.worker.close();
      await p.session.close();
    }));
    this.pool.clear();
  }
}
