import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { WorkerPool } from './worker-pool';

/** Bounds of how often idle pinned workers are looked for: a tenth of PINNED_RELEASE_AFTER, within these. */
const MIN_CHECK_MS = 100;
const MAX_CHECK_MS = 30_000;

/**
 * Releases pinned workers that had no job for PINNED_RELEASE_AFTER seconds (0: never), so a node at NODE_CAPACITY
 * takes new hosts again without an operator stopping workers by hand. A released host is placed anew by its next
 * submit (on this node or another, by SCHEDULER_STRATEGY).
 */
@Injectable()
export class PinnedReleaser implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(private readonly pool: WorkerPool, private readonly config: AppConfig) {
    const idleMs = config.pinnedReleaseAfterSec * 1000;
    this.task = new PeriodicTask(new Logger(PinnedReleaser.name), 'pinned worker release', () => this.pool.releaseIdle(idleMs));
  }

  onApplicationBootstrap(): void {
    const idleMs = this.config.pinnedReleaseAfterSec * 1000;
    if (idleMs > 0) this.task.start(Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, idleMs / 10)));
  }

  /** Before the node drains: no release starts while workers stop. */
  onModuleDestroy(): void {
    this.task.stop();
  }
}
