import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DeviceLocksModule } from '../devices/device-locks.module';
import { JobStoreModule } from '../jobs/job-store.module';
import { MetricsModule } from '../metrics/metrics.module';
import { WorkersModule } from '../workers/workers.module';
import { HealthController } from './health.controller';
import { HealthReporter } from './health.reporter';
import { RedisHealthIndicator } from './redis.health';
import { WorkerHeartbeatIndicator } from './worker-heartbeat.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), WorkersModule, JobStoreModule, MetricsModule, DeviceLocksModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, WorkerHeartbeatIndicator, HealthReporter],
  exports: [RedisHealthIndicator],
})
export class HealthModule {}
