import { Module } from '@nestjs/common';
import { JobSweeper } from '../jobs/job-sweeper';
import { JobStoreModule } from '../jobs/job-store.module';
import { TemplateEnginesModule } from '../templates/template-engines.module';
import { WorkersModule } from '../workers/workers.module';
import { DriverRegistry } from './driver-registry';
import { JobRunner } from './job-runner';
import { NodeLife } from './node-life';
import { NodeLifecycle } from './node-lifecycle';
import { NodeProbes } from './node-probes';
import { PinnedReleaser } from './pinned-releaser';
import { RedisHealthIndicator } from '../health/redis.health';
import { TerminusModule } from '@nestjs/terminus';
import { WorkerPool } from './worker-pool';
import { WebhookSender } from './webhook-sender';
import { ScheduleRunner } from '../schedules/schedule-runner';
import { ScheduleStore } from '../schedules/schedule-store';
import { JobSubmitter } from '../devices/job-submitter';

/** Everything that runs inside a worker node: consumers, sessions, heartbeats, the sweeper, schedule occurrences. */
@Module({
  imports: [JobStoreModule, WorkersModule, TerminusModule, TemplateEnginesModule],
  providers: [
    DriverRegistry, JobRunner, WorkerPool, NodeLife, NodeLifecycle, PinnedReleaser, WebhookSender, JobSweeper, NodeProbes, RedisHealthIndicator,
    // schedule occurrences become jobs here (see ScheduleRunner for why on nodes)
    ScheduleRunner, ScheduleStore, JobSubmitter,
  ],
  exports: [DriverRegistry, NodeLifecycle, NodeProbes],
})
export class NodeModule {}
