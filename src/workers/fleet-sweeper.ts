import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { JobStore } from '../jobs/job-store';
import { FleetStore } from './fleet-store';
import { PinnedPlacement } from './pinned-placement';

/**
 * Keeps the fleet truthful, in every API and node process: a node that missed its heartbeats for WORKER_TTL
 * is reaped (the jobs its workers were running end failed, its hosts are unpinned and, where jobs wait for
 * them, placed on another node), and workers dead for longer than DEAD_WORKER_RETENTION are forgotten.
 * Every step is atomic or idempotent, so concurrent sweepers do not collide.
 */
@Injectable()
export class FleetSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FleetSweeper.name);
  private readonly task = new PeriodicTask(this.logger, 'fleet sweep', () => this.sweep());

  constructor(
    private readonly fleet: FleetStore,
    private readonly jobs: JobStore,
    private readonly placement: PinnedPlacement,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  async sweep(): Promise<void> {
    const ttlMs = this.config.workerTtlSec * 1000;
    for (const node of await this.fleet.deadNodes(ttlMs)) await this.reap(node, ttlMs);
    await this.fleet.pruneWorkers(ttlMs + this.config.deadWorkerRetentionSec * 1000);
  }

  private async reap(node: string, ttlMs: number): Promise<void> {
    // Its workers are read first (deregistering marks them stopped); the node is gone only if it is still dead
    // when deregistered: a node that beat again since deadNodes (after a Redis pause) keeps its jobs and hosts.
    const workers = await this.fleet.workers({ node });
    const hosts = await this.fleet.deregisterIfDead(node, ttlMs);
    if (hosts === null) return;
    let failed = 0;
    for (const w of workers.filter((x) => x.current_job && !x.stopped)) {
      const ended = await this.jobs.end(w.current_job as string, 'failed', {
        type: 'failed', retval: null,
        error: { type: 'WorkerLostError', message: `worker node ${node} stopped sending heartbeats while ${w.name} ran this job` },
      }, this.config.jobResultTtlSec * 1000, w.name);
      if (ended) failed++;
    }
    this.logger.warn(`node ${node} is dead: ${failed} running job(s) failed, ${hosts.length} host(s) unpinned`);
    for (const host of hosts) {
      if ((await this.jobs.countQueuedForHost(host)) > 0) await this.placement.nodeFor(host);
    }
  }
}
