import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DelayedError, Job, WaitingError, Worker, WorkerOptions } from 'bullmq';
import { RedisConnections } from './redis-connections';

export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

/** Hands a job the worker took back to its queue untouched (a worker closing before it started it). */
export async function putBack(job: Job, token?: string): Promise<never> {
  await job.moveToWait(token);
  throw new WaitingError();
}
/**
 * Puts a job the worker took back in its queue's delayed set for delayMs (it waits, it does not fail, and the worker
 * takes another job); then runs `parked`, which may promote it earlier.
 */
export async function putOff(job: Job, token: string | undefined, delayMs: number, parked: () => Promise<void>): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  await parked().catch(() => undefined);
  throw new DelayedError();
}
export type WorkerSettings = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'autorun' | 'drainDelay'>;

/** Creates BullMQ workers on connections owned by the redis module; closes those still open at shutdown. */
@Injectable()
export class WorkerFactory implements BeforeApplicationShutdown {
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

  /**
   * Closes what is still open, before RedisConnections closes the connections under them (Nest runs every
   * beforeApplicationShutdown before any onApplicationShutdown). A close that hangs is forced after CLOSE_WAIT_MS.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.workers].map((w) => closeBounded(w)));
  }
}

const CLOSE_WAIT_MS = 5000;

/** Closes a worker, waiting for its running job; forces the close if it takes longer than CLOSE_WAIT_MS. */
export async function closeBounded(worker: Worker): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CLOSE_WAIT_MS)));
  const closed = worker.close().then(() => false);
  if (await Promise.race([closed, timedOut])) {
    await Promise.race([worker.close(true).catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
  }
  clearTimeout(timer);
}
