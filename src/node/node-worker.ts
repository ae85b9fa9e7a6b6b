import type { Job } from 'bullmq';
import type { WorkerSettings } from '../redis/worker-factory';
import { SessionSource } from './session-source';

/** Why a running job's signal was aborted; the job runner turns it into the job's result. */
export type AbortReason = 'timeout' | 'stopped' | 'shutdown';

export interface RunningJob {
  id: string;
  abort: AbortController;
}

/** What the job runner needs from the worker that runs a job. */
export interface RunSlot {
  readonly name: string;
  /** FIFO slots respect MAX_SESSIONS_PER_HOST; a pinned worker runs one job at a time on its host anyway */
  readonly kind: 'fifo' | 'pinned';
  readonly sessions: SessionSource;
  /** The runner reports the job it runs (and how to abort it), then null when it is done. */
  track(job: RunningJob | null): void;
}

/**
 * A job the runner did not start because its host has no free session (MAX_SESSIONS_PER_HOST): the worker puts it
 * in BullMQ's delayed set for delayMs (a fallback: it is woken sooner when a session frees), then calls parked.
 */
export interface Postponed {
  delayMs: number;
  parked: () => Promise<void>;
}

export type JobHandle = (job: Job, slot: RunSlot) => Promise<Postponed | void>;

export interface NodeWorkerSpec {
  name: string;
  queue: string;
  kind: 'fifo' | 'pinned';
  host: string | null;
  sessions: SessionSource;
}

/** BullMQ lock of a running job; renewed every half. A dead node's jobs are found stalled after this. */
export const LOCK_DURATION_MS = 10_000;

/** The BullMQ settings of every consumer of a node. */
export const CONSUMER_SETTINGS: WorkerSettings = {
  lockDuration: LOCK_DURATION_MS,
  stalledInterval: LOCK_DURATION_MS / 2,
  // A job whose worker died is failed, never silently run a second time.
  maxStalledCount: 0,
};

/** How long stop() waits for an interrupted job to record its end before closing anyway. */
const STOP_WAIT_MS = 5000;

/**
 * One named worker of a node, as operators see it (GET/DELETE /worker): runs one job at a time, can be
 * suspended, resumed, and stopped with its running job interrupted. Subclasses say where its jobs come from:
 * a BullMQ consumer of its own (pinned) or a slot of the node's shared FIFO consumer.
 */
export abstract class NodeWorker implements RunSlot {
  private current: RunningJob | null = null;
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private closeReason: AbortReason | null = null;
  suspended = false;
  /** When the worker last ended a job (or was born): what PINNED_RELEASE_AFTER is measured from. Monotonic ms. */
  idleSince = performance.now();

  constructor(readonly spec: NodeWorkerSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get sessions(): SessionSource {
    return this.spec.sessions;
  }

  get kind(): 'fifo' | 'pinned' {
    return this.spec.kind;
  }

  get currentJob(): string | null {
    return this.current?.id ?? null;
  }

  /** Handed a job (from pick-up to the end of its run), including the steps before the job store takes it. */
  get busy(): boolean {
    return this.running;
  }

  get closing(): boolean {
    return this.closeReason !== null;
  }

  track(job: RunningJob | null): void {
    this.current = job;
    // Stopped between pick-up and the job store's start: the job is interrupted as soon as it is known.
    if (job && this.closeReason) job.abort.abort(this.closeReason);
  }

  /** Takes no new job; the running one finishes. */
  suspend(): void {
    if (this.suspended) return;
    this.suspended = true;
    this.suspendedChanged();
  }

  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.suspendedChanged();
  }

  /** Aborts the running job (if it is jobId, when given). Returns whether a job was interrupted. */
  abort(reason: AbortReason, jobId?: string): boolean {
    if (!this.current || (jobId !== undefined && this.current.id !== jobId)) return false;
    this.current.abort.abort(reason);
    return true;
  }

  /** Interrupts the running job, waits (bounded) for it to record its end, then closes. Returns jobs interrupted. */
  async stop(reason: AbortReason = 'stopped'): Promise<number> {
    this.closeReason = reason;
    this.closingStarted();
    const interrupted = this.abort(reason) ? 1 : 0;
    await Promise.race([this.idle, sleep(STOP_WAIT_MS)]);
    await this.close();
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

  /** Runs a job handed to this worker; the worker is busy from the first line (no await before it) to the end. */
  protected async runJob(job: Job, handle: JobHandle): Promise<Postponed | void> {
    this.running = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      return await handle(job, this);
    } finally {
      this.running = false;
      this.idleSince = performance.now();
      this.markIdle();
      this.jobDone();
    }
  }

  /** Called when suspended turns on or off. */
  protected abstract suspendedChanged(): void;
  /** Called when stop() begins, before the running job is interrupted. */
  protected abstract closingStarted(): void;
  /** Called after a job handed to this worker ended. */
  protected abstract jobDone(): void;
  /** Releases what the worker holds of BullMQ, once its job ended (or stop gave up waiting). */
  protected abstract close(): Promise<void>;
}

/** A wait that does not keep the process alive: it only ever races a job ending. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
