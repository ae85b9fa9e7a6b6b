import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { RedisConnections } from '../redis/redis-connections';
import { JobStore } from './job-store';

/** How often the counters tallied in this process are added to the cluster-wide figures. */
export const TALLY_FLUSH_MS = 1000;

/**
 * Adds the job store's tally to Redis every TALLY_FLUSH_MS, and a last time when the process shuts down,
 * just before the command connection closes (after the node has drained its workers).
 */
@Injectable()
export class JobTallyFlusher implements OnApplicationBootstrap {
  private readonly task: PeriodicTask;

  constructor(private readonly store: JobStore, private readonly connections: RedisConnections) {
    this.task = new PeriodicTask(new Logger(JobTallyFlusher.name), 'job metrics flush', () => this.store.tally.flush());
  }

  onApplicationBootstrap(): void {
    this.task.start(TALLY_FLUSH_MS);
    this.connections.beforeClose(async () => {
      this.task.stop();
      await this.store.tally.flush();
    });
  }
}
