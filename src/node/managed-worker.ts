import { Logger } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { closeBounded, putBack, WorkerFactory } from '../redis/worker-factory';
import { SessionSource } from './session-source';

/** Why a running job's signal was aborted; the job runner turns it into the job's result. */
export type AbortReason = 'timeout' | 'stopped' | 'shutdown';

/** What the job runner needs from the worker that runs a job. */
export interface RunSlot {
  readonly name: string;
  readonly sessions: SessionSource;
  /** The runner reports the job it runs (and how to abort it), then null when it is done. */
  track(job: { id: string; abort: AbortController } | null): void;
}

export interface ManagedWorkerSpec {
  name: string;
  queue: string;
  kind: 'fifo' | 'pinned';
  host: string | null;
  sessions: SessionSource;
}

/** BullMQ lock of a running job; renewed every half. A dead node's jobs are found stalled after this. */
export const LOCK_DURATION_MS = 10_000;
/** How long stop() waits for an interrupted job to record its end before closing anyway. */
const STOP_WAIT_MS = 5000;

/**
 * One worker of a node (a FIFO slot or the pinned worker of a device): a BullMQ consumer at
 * concurrency 1 that can be suspended, resumed, and stopped with its running job interrupted.
 */
export class ManagedWorker implements RunSlot {
  private readonly logger: Logger;
  private bull: Worker | null = null;
  private current: { id: string; abort: AbortController } | null = null;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  /** Resolved while the worker may start jobs; pending while suspended. */
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  private closing = false;
  suspended = false;

  constructor(readonly spec: ManagedWorkerSpec) {
    this.logger = new Logger(`Worker ${spec.name}`);
  }

  get name(): string {
    return this.spec.name;
  }

  get sessions(): SessionSource {
    return this.spec.sessions;
  }

  get currentJob(): string | null {
    return this.current?.id ?? null;
  }

  start(workers: WorkerFactory, handle: (job: Job, slot: RunSlot) => Promise<void>): void {
    this.bull = workers.create(this.spec.queue, async (job: Job, token?: string) => {
      // BullMQ may hand over one job it fetched just before a pause: hold it until resumed.
      await this.gate;
      if (this.closing) return putBack(job, token);
      return handle(job, this);
    }, {
      concurrency: 1,
      lockDuration: LOCK_DURATION_MS,
      stalledInterval: LOCK_DURATION_MS / 2,
      // A job whose worker died is failed, never silently run a second time.
      maxStalledCount: 0,
    });
    this.bull.on('error', (err) => this.logger.warn(err.message));
  }

  track(job: { id: string; abort: AbortController } | null): void {
    this.current = job;
    if (job) this.idle = new Promise((resolve) => (this.markIdle = resolve));
    else this.markIdle();
  }

  /** Takes no new job; the running one finishes. */
  suspend(): void {
    if (this.suspended) return;
    this.suspended = true;
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    // The gate alone keeps jobs from starting; pausing also stops BullMQ fetching (not awaited: it can
    // wait on a reconnecting connection).
    this.bull?.pause(true).catch(() => undefined);
  }

  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.openGate();
    void this.bull?.resume();
  }

  /** Aborts the running job (if it is jobId, when given). Returns whether a job was interrupted. */
  abort(reason: AbortReason, jobId?: string): boolean {
    if (!this.current || (jobId !== undefined && this.current.id !== jobId)) return false;
    this.current.abort.abort(reason);
    return true;
  }

  /** Interrupts the running job, waits (bounded) for it to record its end, then closes. Returns jobs interrupted. */
  async stop(reason: AbortReason = 'stopped'): Promise<number> {
    this.closing = true;
    this.openGate();
    const interrupted = this.abort(reason) ? 1 : 0;
    await Promise.race([this.idle, sleep(STOP_WAIT_MS)]);
    if (this.bull) await closeBounded(this.bull);
    await this.spec.sessions.close();
    return interrupted;
  }

  /** Lets the running job finish (up to graceMs), then interrupts it; closes. */
  async drain(graceMs: number): Promise<void> {
    this.suspend();
    const finished = await Promise.race([this.idle.then(() => true), sleep(graceMs).then(() => false)]);
    if (!finished) this.abort('shutdown');
    await this.stop('shutdown');
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
