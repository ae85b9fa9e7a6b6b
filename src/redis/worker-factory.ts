import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, WaitingError, Worker, WorkerOptions } from 'bullmq';
import { RedisConnections } from './redis-connections';

export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

/** Hands a job the worker took back to its queue untouched (a worker closing before it started it). */
export async function putBack(job: Job, token?: string): Promise<never> {
  await job.moveToWait(token);
  throw new WaitingError();
}
export type WorkerSettings = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'autorun' | 'drainDelay'>;

/** Creates BullMQ workers on connections owned by the redis module; closes those still open at shutdown. */
@Injectable()
export class WorkerFactory implements OnApplicationShutdown {
  private readonly workers = new Set<Worker>();

  constructor(private readonly redis: RedisConnections) {}

  create(queueName: string, handler: JobHandler, settings: WorkerSettings = {}): Worker {
    const connection = this.redis.dedicatedConnection(`worker:${queueName}`, { maxRetriesPerRequest: null });
    const worker = new Worker(queueName, handler, {
      connection,
      prefix: this.redis.bullPrefix,
      ...settings,
    });
    this.workers.add(worker);
    worker.once('closed', () => {
      this.workers.delete(worker);
      void connection.quit().catch(() => connection.disconnect());
    });
    return worker;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
  }
}
