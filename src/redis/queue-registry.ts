import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import { BULL_QUEUE_OPTIONS, FIFO_QUEUE } from './redis.constants';
import { RedisConnections } from './redis-connections';

/**
 * BullMQ queues by name. FifoQ is registered with @nestjs/bullmq; pinned queues
 * (`pinned_{host}`) are created on first use and share the command connection.
 */
@Injectable()
export class QueueRegistry implements BeforeApplicationShutdown {
  private readonly queues = new Map<string, Queue>();
  private readonly logger = new Logger(QueueRegistry.name);

  constructor(
    private readonly redis: RedisConnections,
    @InjectQueue(FIFO_QUEUE) fifo: Queue,
  ) {
    this.queues.set(FIFO_QUEUE, this.listened(fifo));
  }

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.listened(new Queue(name, { connection: this.redis.command, prefix: this.redis.bullPrefix, ...BULL_QUEUE_OPTIONS }));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds a job whose id is ours; BullMQ forgets it once processed (our job store keeps the record). */
  add(queueName: string, jobId: string, opts: JobsOptions = {}): Promise<Job> {
    return this.get(queueName).add('run', {}, { jobId, removeOnComplete: true, removeOnFail: true, ...opts });
  }

  /** Moves a delayed job to the waiting list now (a FIFO job woken when a session on its host freed); false if it was not delayed. */
  async promote(queueName: string, jobId: string): Promise<boolean> {
    const job = await this.get(queueName).getJob(jobId);
    if (!job) return false;
    return job.promote().then(() => true, () => false);
  }

  /** Best-effort removal of BullMQ's copy of jobs that will never run (cancelled, expired). */
  async removeMany(queueName: string, jobIds: string[]): Promise<void> {
    const queue = this.get(queueName);
    await Promise.all(jobIds.map((id) => queue.remove(id).catch(() => 0)));
  }

  /**
   * A Queue re-emits its connection's errors, and an 'error' event nobody listens to is an unhandled error. The
   * shared connection already logs them (RedisConnections), so here they are kept at debug.
   */
  private listened(queue: Queue): Queue {
    queue.on('error', (err: Error) => this.logger.debug(`queue ${queue.name}: ${err.message}`));
    return queue;
  }

  /** Before RedisConnections closes the shared connection (see WorkerFactory). */
  async beforeApplicationShutdown(): Promise<void> {
    const own = [...this.queues.entries()].filter(([name]) => name !== FIFO_QUEUE);
    await Promise.all(own.map(([, q]) => q.close()));
  }
}
