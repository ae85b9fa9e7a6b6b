import { Logger } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { closeBounded, putBack, putOff, WorkerFactory } from '../redis/worker-factory';
import { CONSUMER_SETTINGS, JobHandle, NodeWorker, NodeWorkerSpec, Postponed } from './node-worker';

/**
 * The FIFO workers of a node share one BullMQ consumer at concurrency N instead of N consumers at
 * concurrency 1: one fetch loop, one blocking connection and one lock renewer instead of N (BullMQ alone ran
 * +32% jobs/s at half the worker CPU in this shape, bench/RESULTS.md throughput-profile). Each FIFO worker stays
 * a named slot that operators suspend, resume and stop one by one; the consumer's concurrency follows the slots
 * that can take a job (or still hold one), so BullMQ never fetches a job no slot would run.
 */
export class FifoConsumer {
  private readonly logger = new Logger('FifoConsumer');
  private readonly slots = new Set<FifoSlot>();
  private bull: Worker | null = null;
  /** Paused by us because no slot can take a job; BullMQ's concurrency cannot go below 1. */
  private held = false;

  constructor(
    private readonly queue: string,
    private readonly handle: JobHandle,
  ) {}

  /** A new slot: give the consumer all its slots first, then start it. */
  addSlot(spec: Omit<NodeWorkerSpec, 'queue' | 'kind' | 'host'>): FifoSlot {
    const slot = new FifoSlot({ ...spec, queue: this.queue, kind: 'fifo', host: null }, this);
    this.slots.add(slot);
    this.fit();
    return slot;
  }

  start(workers: WorkerFactory): void {
    if (this.bull || this.slots.size === 0) return;
    this.bull = workers.create(this.queue, (job: Job, token?: string) => this.process(job, token), { ...CONSUMER_SETTINGS, concurrency: Math.max(1, this.wanted()) });
    this.bull.on('error', (err) => this.logger.warn(err.message));
  }

  private async process(job: Job, token?: string): Promise<void> {
    for (const slot of this.slots) {
      if (!slot.free) continue;
      const postponed = await slot.take(job, this.handle);
      // Its host had no free session: the job waits in the delayed set, and the slot (free again) takes another.
      if (postponed) await putOff(job, token, postponed.delayMs, postponed.parked);
      return;
    }
    // Only when a slot was suspended or stopped after BullMQ fetched the job: it goes back to the head of the queue.
    return putBack(job, token);
  }

  /** Slots that can take a job, or are still running one (their jobs count against BullMQ's concurrency). */
  private wanted(): number {
    let n = 0;
    for (const s of this.slots) if (s.busy || (!s.suspended && !s.closing)) n++;
    return n;
  }

  /** Sets BullMQ's concurrency to the slots' state; called whenever a slot changes. */
  fit(): void {
    const bull = this.bull;
    if (!bull || bull.closing) return;
    const wanted = this.wanted();
    if (wanted === 0) {
      if (!this.held) {
        this.held = true;
        bull.pause(true).catch(() => undefined);
      }
      return;
    }
    const raised = wanted > bull.concurrency;
    bull.concurrency = wanted;
    if (this.held) {
      this.held = false;
      void bull.resume();
    } else if (raised) {
      // BullMQ's fetch loop reads the concurrency again only when a running job settles; pause and resume
      // is its public way to wake it, so a resumed slot takes a queued job now, not after a long job ends.
      void bull.pause(true).then(() => (this.held ? undefined : bull.resume()), () => undefined);
    }
  }

  /** A stopped slot leaves; the last one closes the consumer. */
  async remove(slot: FifoSlot): Promise<void> {
    this.slots.delete(slot);
    const bull = this.bull;
    if (!bull) return;
    if (this.slots.size > 0) return this.fit();
    this.bull = null;
    await closeBounded(bull);
  }
}

/** One FIFO worker of a node: a named slot of the node's FifoConsumer, with a new device session per job. */
export class FifoSlot extends NodeWorker {
  constructor(spec: NodeWorkerSpec, private readonly consumer: FifoConsumer) {
    super(spec);
  }

  get free(): boolean {
    return !this.busy && !this.suspended && !this.closing;
  }

  take(job: Job, handle: JobHandle): Promise<Postponed | void> {
    return this.runJob(job, handle);
  }

  protected suspendedChanged(): void {
    this.consumer.fit();
  }

  protected closingStarted(): void {
    this.consumer.fit();
  }

  protected jobDone(): void {
    // A suspended or stopping slot that ends its job lowers the consumer's concurrency; a free one changes nothing.
    if (this.suspended || this.closing) this.consumer.fit();
  }

  protected close(): Promise<void> {
    return this.consumer.remove(this);
  }
}
