import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { FIFO_QUEUE, pinnedQueueName } from '../redis/redis.constants';
import { WorkerFactory } from '../redis/worker-factory';
import { FleetStore } from '../workers/fleet-store';
import { JobRunner } from './job-runner';
import { ManagedWorker, ManagedWorkerSpec, RunSlot } from './managed-worker';
import { FreshSessions, KeptSession } from './session-source';

/**
 * The workers of this node: FIFO_CONCURRENCY FIFO workers (a new device connection per job) and one
 * pinned worker per device host placed here (its session kept open). Registers each with the fleet.
 */
@Injectable()
export class WorkerPool implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerPool.name);
  private readonly byName = new Map<string, ManagedWorker>();
  private readonly pinned = new Map<string, ManagedWorker>();
  private fifoSerial = 0;

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

  async onApplicationBootstrap(): Promise<void> {
    await this.startFifoWorkers();
  }

  /** Shutdown: running jobs get SHUTDOWN_GRACE seconds to finish, then are interrupted; nothing new starts. */
  drainAll(): Promise<void> {
    return this.stopAll((w) => w.drain(this.config.shutdownGraceSec * 1000));
  }

  async startFifoWorkers(): Promise<void> {
    for (let i = 0; i < this.config.fifoConcurrency; i++) {
      const name = `fifo-${++this.fifoSerial}@${this.config.nodeName}`;
      await this.add({ name, queue: FIFO_QUEUE, kind: 'fifo', host: null, sessions: new FreshSessions() });
    }
  }

  /** Starts the pinned worker of host unless it runs already. */
  async ensurePinned(host: string): Promise<void> {
    if (this.pinned.has(host)) return;
    const name = `pinned-${host}@${this.config.nodeName}`;
    const sessions = new KeptSession(this.config.pinnedIdleTimeoutSec * 1000);
    this.pinned.set(host, await this.add({ name, queue: pinnedQueueName(host), kind: 'pinned', host, sessions }));
  }

  get(name: string): ManagedWorker | undefined {
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
  async stopAll(step: (w: ManagedWorker) => Promise<unknown>): Promise<void> {
    const all = [...this.byName.values()];
    all.forEach((w) => this.forget(w));
    await Promise.all(all.map(step));
  }


  private async add(spec: ManagedWorkerSpec): Promise<ManagedWorker> {
    const worker = new ManagedWorker(spec);
    await this.fleet.registerWorker({ name: spec.name, node: this.config.nodeName, queue: spec.queue, host: spec.host, hostname: hostname(), pid: process.pid, kind: spec.kind });
    this.byName.set(spec.name, worker);
    worker.start(this.workers, (job: Job, slot: RunSlot) => this.runner.run(job.id as string, slot));
    this.logger.log(`worker ${spec.name} consuming ${spec.queue}`);
    return worker;
  }

  private forget(worker: ManagedWorker): void {
    this.byName.delete(worker.name);
    if (worker.spec.host && this.pinned.get(worker.spec.host) === worker) this.pinned.delete(worker.spec.host);
  }
}
