import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { JobStore } from '../jobs/job-store';
import { RedisConnections } from '../redis/redis-connections';
import { FleetStore, NameHolder, NodeFacts } from '../workers/fleet-store';
import { ControlMessage } from '../workers/worker.model';
import { NodeLife } from './node-life';
import { NodeWorker } from './node-worker';
import { WorkerPool } from './worker-pool';

/** How long one blocking read of the control list waits, so shutdown is never held up longer. */
const CONTROL_POLL_SEC = 1;

/**
 * The node's membership of the fleet: claims the node name for this life (ending what a previous life left
 * started), starts the workers, heartbeats for itself and its workers (Redis clock), restores the pinned workers
 * placed on it, carries out commands from its control list, and deregisters on shutdown.
 */
@Injectable()
export class NodeLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NodeLifecycle.name);
  private timer: NodeJS.Timeout | null = null;
  private control: Redis | null = null;
  private stopping = false;
  private registered = false;
  private rejoining = false;
  lastHeartbeatAt = 0;

  constructor(
    private readonly fleet: FleetStore,
    private readonly pool: WorkerPool,
    private readonly life: NodeLife,
    private readonly redis: RedisConnections,
    private readonly config: AppConfig,
    private readonly jobs: JobStore,
  ) {}

  get name(): string {
    return this.config.nodeName;
  }

  /**
   * The claim comes first, at module init (before any bootstrap hook: consumers, sweepers, the webhook sender): no
   * worker consumes, or re-registers a worker name of the previous life (which would drop the record of the job
   * it ran), before the previous life's jobs are ended. A name held by a live process throws here, and the
   * process exits 1 naming that process.
   */
  async onModuleInit(): Promise<void> {
    await this.life.claim(this.facts());
    this.lastHeartbeatAt = Date.now();
    this.registered = true;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pool.startFifoWorkers();
    for (const host of await this.fleet.hostsOf(this.name)) await this.pool.ensurePinned(host);
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.heartbeatIntervalSec * 1000);
    this.control = this.redis.dedicatedConnection(`control:${this.name}`, { maxRetriesPerRequest: null });
    void this.readControl(this.control);
    this.logger.log(`node ${this.name} up (life ${this.life.id}): capacity ${this.config.nodeCapacity} pinned workers, ${this.config.fifoConcurrency} FIFO workers`);
  }

  /**
   * SIGTERM: stop taking commands, let running jobs finish (bounded), then leave the fleet. The first shutdown
   * hook Nest runs, so workers drain before the redis module closes queues, workers and connections.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.control?.disconnect();
    this.logger.log(`draining ${this.pool.names.length} workers (grace ${this.config.shutdownGraceSec} s)`);
    await this.pool.drainAll();
    if (this.timer) clearInterval(this.timer);
    await this.fleet.deregister(this.name, this.life.id).catch((err: Error) => this.logger.warn(`deregister failed: ${err.message}`));
    this.logger.log(`node ${this.name} left the fleet`);
  }

  private facts(): NodeFacts {
    return {
      life: this.life.id,
      hostname: this.life.hostname,
      pid: this.life.pid,
      capacity: this.config.nodeCapacity,
      fifo_concurrency: this.config.fifoConcurrency,
      pinned_count: this.pool.pinnedCount,
      started_at: this.life.startedAt,
    };
  }

  private async beat(): Promise<void> {
    if (this.stopping) return;
    try {
      const outcome = await this.fleet.heartbeat(this.name, this.facts(), this.pool.names);
      if (typeof outcome === 'object') return this.yieldName(outcome.superseded);
      this.lastHeartbeatAt = Date.now();
      // Not awaited: the heartbeat must go on while the workers restart, or a slow restart (Redis just back)
      // would let the node look dead again and be reaped in a loop.
      if (outcome === 'new' && this.registered && !this.rejoining) {
        this.rejoining = true;
        void this.rejoin()
          .catch((err: Error) => this.logger.warn(`rejoin failed: ${err.message}`))
          .finally(() => (this.rejoining = false));
      }
      this.registered = true;
    } catch (err) {
      this.logger.warn(`heartbeat failed: ${(err as Error).message}`);
    }
  }

  /**
   * Another life took the name over while this process was silent longer than WORKER_TTL (frozen, partitioned):
   * it already ended this process's jobs and now serves its queues. This process must not consume beside it: its
   * workers stop (without unpinning: the hosts are the new life's now) and it exits 1, skipping the shutdown hooks
   * (deregistering would remove the new life's record).
   */
  private async yieldName(holder: NameHolder): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.control?.disconnect();
    this.logger.error(`node ${this.name}: life ${holder.life} (${holder.hostname}, pid ${holder.pid}) took this name over while this process `
      + `(life ${this.life.id}) was silent; its jobs were ended there. Stopping the workers and exiting`);
    await this.pool.stopAll((w) => w.stop('stopped')).catch(() => undefined);
    process.exit(1);
  }

  /**
   * The fleet declared this node dead (it missed heartbeats) and failed its jobs and unpinned its hosts, or Redis lost
   * its data. The old workers must not go on consuming queues now served elsewhere: start over with fresh workers.
   */
  private async rejoin(): Promise<void> {
    this.logger.warn(`node ${this.name} was declared dead by the fleet (or Redis lost its data); restarting its workers`);
    // The old workers close in the background; new ones register at once so the fleet sees this node again. A job one
    // of them runs that the reaper ended is interrupted; one its record still shows started by it began after Redis
    // lost its data (nobody ended it, nobody stopped it): it may finish, within SHUTDOWN_GRACE.
    const graceMs = this.config.shutdownGraceSec * 1000;
    void this.pool.stopAll(async (w) => ((await this.stillRuns(w)) ? w.drain(graceMs) : w.stop('stopped')));
    await this.pool.startFifoWorkers();
  }

  /** Whether the worker's running job is, by its record, still started by this worker. */
  private async stillRuns(w: NodeWorker): Promise<boolean> {
    const id = w.currentJob;
    if (!id) return false;
    const job = await this.jobs.get(id).catch(() => null);
    return job?.status === 'started' && job.worker === w.name;
  }

  private async readControl(conn: Redis): Promise<void> {
    const key = this.fleet.controlKey(this.name);
    while (!this.stopping) {
      try {
        const popped = await conn.blpop(key, CONTROL_POLL_SEC);
        if (popped) await this.handle(JSON.parse(popped[1]) as ControlMessage);
      } catch (err) {
        if (this.stopping) return;
        this.logger.warn(`control channel: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async handle(message: ControlMessage): Promise<void> {
    switch (message.type) {
      case 'start_pinned':
        return this.pool.ensurePinned(message.host);
      case 'stop': {
        const interrupted = await this.pool.stop(message.worker);
        return this.fleet.reply(message.reply, { worker: message.worker, interrupted_jobs: interrupted });
      }
      case 'suspend':
      case 'resume':
        return this.pool.suspend(message.worker, message.type === 'suspend');
      case 'abort_job': {
        const interrupted = this.pool.get(message.worker)?.abort('stopped', message.job) ? 1 : 0;
        return this.fleet.reply(message.reply, { worker: message.worker, interrupted_jobs: interrupted });
      }
    }
  }
}
