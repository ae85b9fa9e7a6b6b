import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { FIFO_QUEUE } from '../redis/redis.constants';
import { WorkerFactory } from '../redis/worker-factory';
import { JobRunner } from './job-runner';
import { FreshSessions } from './session-source';

/** The node's FIFO worker: FIFO_CONCURRENCY jobs at once from FifoQ, a new device connection per job. */
@Injectable()
export class FifoWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(FifoWorker.name);
  private worker: Worker | null = null;
  private readonly sessions = new FreshSessions();
  readonly name: string;

  constructor(
    private readonly workers: WorkerFactory,
    private readonly runner: JobRunner,
    private readonly config: AppConfig,
  ) {
    this.name = `fifo@${config.nodeName}`;
  }

  onApplicationBootstrap(): void {
    const concurrency = this.config.fifoConcurrency;
    if (concurrency === 0) return;
    this.worker = this.workers.create(FIFO_QUEUE, (job: Job) => this.runner.run(job.id as string, this.name, this.sessions), { concurrency });
    this.worker.on('error', (err) => this.logger.warn(`FIFO worker: ${err.message}`));
    this.logger.log(`FIFO worker ${this.name} consuming ${FIFO_QUEUE} at concurrency ${concurrency}`);
  }
}
