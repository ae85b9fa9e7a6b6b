import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { FIFO_QUEUE, pinnedQueueName } from '../redis/redis.constants';
import { WorkerFactory } from '../redis/worker-factory';
import { FleetStore } from '../workers/fleet-store';
import { JobRunner } from './job-runner';
import { FifoConsumer } from './fifo-consumer';
import { JobHandle, NodeWorker, NodeWorkerSpec } from './node-worker';
import { PinnedWorker } from './pinned-worker';
import { FreshSessions, KeptSession } from './session-source';

/**
 * The workers of this node: FIFO_CONCURRENCY FIFO workers (a new device connection per job) and one
 * pinned worker per device host placed here (its session kept open). Registers each with the fleet.
 */
@Injectable()
export class WorkerPool {
  private readonly logger = new Logger(WorkerPool.name);
  private readonly byName = new Map<string, NodeWorker>();
  private readonly pinned = new Map<string, PinnedWorker>();
  private fifoSerial = 0;
  private readonly handle: JobHandle = (job: Job, slot) => this.runner.run(job.id as string, slot);

  constructor(
    private readonly workers: WorkerFactory,
    private readonly runner: JobRunner,
    private readonly fleet: FleetStore,
    private readonly config: AppConfig,
  ) {}

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get pinnedCount(): number {
    return this.pinned.size;
  }

  /** Shutdown: running jobs get SHUTDOWN_GRACE seconds to finish, then are interrupted; nothing new starts. */
  drainAll(): Promise<void> {
    return this.stopAll((w) => w.drain(this.config.shutdownGraceSec * 1000));
  }

  /** FIFO_CONCURRENCY FIFO workers: slots of one new consumer of the FIFO queue (NodeLifecycle starts them once the node name is claimed). */
  async startFifoWorkers(): Promise<void> {
    const consumer = new FifoConsumer(FIFO_QUEUE, this.handle);
    for (let i = 0; i < this.config.fifoConcurrency; i++) {
      const name = `fifo-${++this.fifoSerial}@${this.config.nodeName}`;
      const slot = consumer.addSlot({ name, sessions: new FreshSessions() });
      await this.register(slot.spec);
      this.byName.set(name, slot);
    }
    consumer.start(this.workers);
    this.logger.log(`${this.config.fifoConcurrency} FIFO workers consuming ${FIFO_QUEUE}`);
  }

  /**
   * Starts the pinned worker of host unless it runs already. One being released waits for the outcome: the host
   * may have been placed here again just after the release unpinned it, and then it needs a new worker.
   */
  async ensurePinned(host: string): Promise<void> {
    await this.pinned.get(host)?.releasing;
    if (this.pinned.has(host)) return;
    const name = `pinned-${host}@${this.config.nodeName}`;
    const spec: NodeWorkerSpec = { name, queue: pinnedQueueName(host), kind: 'pinned', host, sessions: new KeptSession(this.config.pinnedIdleTimeoutSec * 1000) };
    await this.register(spec);
    const worker = new PinnedWorker(spec);
    this.byName.set(name, worker);
    this.pinned.set(host, worker);
    worker.start(this.workers, this.handle);
    this.logger.log(`worker ${name} consuming ${spec.queue}`);
  }

  /**
   * Releases the pinned workers that had no job for idleMs (PINNED_RELEASE_AFTER): their hosts are unpinned and
   * their capacity freed, unless a job arrived (RELEASE_PINNED decides, atomically with the submit path). A
   * suspended worker is kept: an operator paused it on purpose.
   */
  async releaseIdle(idleMs: number): Promise<void> {
    const now = performance.now();
    for (const worker of [...this.pinned.values()]) {
      if (worker.busy || worker.suspended || worker.closing || worker.releasing || now - worker.idleSince < idleMs) continue;
      await this.release(worker, idleMs);
    }
  }

  private release(worker: PinnedWorker, idleMs: number): Promise<boolean> {
    const host = worker.spec.host as string;
    const releasing = this.fleet.releasePinned(host, this.config.nodeName, worker.name, worker.spec.queue).then((outcome) => {
      if (outcome === 'busy') return false;
      // In the continuation that reads the answer, with no await before: a start_pinned for this host handled
      // from now on must not find this worker (ensurePinned waits for `releasing`, then starts a new one).
      this.forget(worker);
      void worker.stop('stopped');
      this.logger.log(outcome === 'released'
        ? `worker ${worker.name} released after ${Math.round(idleMs / 1000)} s without a job: host ${host} unpinned`
        : `worker ${worker.name} stopped: host ${host} is no longer pinned to this node`);
      return true;
    }, (err: Error) => {
      this.logger.warn(`releasing ${worker.name} failed: ${err.message}`);
      return false;
    });
    worker.releasing = releasing;
    void releasing.then(() => (worker.releasing = null));
    return releasing;
  }

  get(name: string): NodeWorker | undefined {
    return this.byName.get(name);
  }


  /** Force-stops a worker: interrupts its job, closes it, unpins its host. Returns jobs interrupted. */
  async stop(name: string): Promise<number> {
    const worker = this.byName.get(name);
    if (!worker) return 0;
    this.forget(worker);
    await this.fleet.setWorkerFlag(name, 'stopped', true);
    if (worker.spec.host) await this.fleet.unpin(worker.spec.host, this.config.nodeName);
    const interrupted = await worker.stop('stopped');
    this.logger.log(`worker ${name} stopped (${interrupted} job interrupted)`);
    return interrupted;
  }

  async suspend(name: string, on: boolean): Promise<void> {
    const worker = this.byName.get(name);
    if (!worker) return;
    if (on) worker.suspend();
    else worker.resume();
  }

  /** Closes every worker with the given step (graceful drain at shutdown, stop after being reaped). */
  async stopAll(step: (w: NodeWorker) => Promise<unknown>): Promise<void> {
    const all = [...this.byName.values()];
    all.forEach((w) => this.forget(w));
    await Promise.all(all.map(step));
  }

  private async register(spec: NodeWorkerSpec): Promise<void> {
    const { name, queue, host, kind } = spec;
    await this.fleet.registerWorker({ name, node: this.config.nodeName, queue, host, hostname: hostname(), pid: process.pid, kind });
  }

  private forget(worker: NodeWorker): void {
    this.byName.delete(worker.name);
    if (worker.spec.host && this.pinned.get(worker.spec.host) === worker) this.pinned.delete(worker.spec.host);
  }
}
