import { Logger } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { closeBounded, putBack, putOff, WorkerFactory } from '../redis/worker-factory';
import { CONSUMER_SETTINGS, JobHandle, NodeWorker } from './node-worker';

/** The pinned worker of one device host: a BullMQ consumer of its own, of the host's queue, at concurrency 1. */
export class PinnedWorker extends NodeWorker {
  private readonly logger = new Logger(`Worker ${this.spec.name}`);
  private bull: Worker | null = null;
  /** Resolved while the worker may start jobs; pending while suspended. */
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  /** While the pool is releasing this idle worker: resolves true once it is released, false when a job came first. */
  releasing: Promise<boolean> | null = null;

  start(workers: WorkerFactory, handle: JobHandle): void {
    this.bull = workers.create(this.spec.queue, async (job: Job, token?: string) => {
      // BullMQ may hand over one job it fetched just before a pause: hold it until resumed.
      await this.gate;
      if (this.closing) return putBack(job, token);
      // A pinned worker starts with no session limit (one job at a time on its host); its jobs are postponed only when
      // they wait for their time: a retry's wait, or a scheduled job handed over early.
      const postponed = await this.runJob(job, handle);
      if (postponed) await putOff(job, token, postponed.delayMs, postponed.parked);
    }, { ...CONSUMER_SETTINGS, concurrency: 1 });
    this.bull.on('error', (err) => this.logger.warn(err.message));
  }

  protected suspendedChanged(): void {
    if (this.suspended) {
      this.gate = new Promise((resolve) => (this.openGate = resolve));
      // The gate alone keeps jobs from starting; pausing also stops BullMQ fetching (not awaited: it can
      // wait on a reconnecting connection).
      this.bull?.pause(true).catch(() => undefined);
    } else {
      this.openGate();
      void this.bull?.resume();
    }
  }

  protected closingStarted(): void {
    this.openGate();
  }

  protected jobDone(): void {}

  protected async close(): Promise<void> {
    if (this.bull) await closeBounded(this.bull);
  }
}
