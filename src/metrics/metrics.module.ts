import { Module } from '@nestjs/common';
import { DeviceLocksModule } from '../devices/device-locks.module';
import { JobStoreModule } from '../jobs/job-store.module';
import { WorkersModule } from '../workers/workers.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { RequestStats } from './request-stats';

/** GET /metrics; the HTTP timing of every request is a Fastify hook (http-metrics.hook.ts, set up in app.setup.ts). */
@Module({
  imports: [JobStoreModule, WorkersModule, DeviceLocksModule],
  controllers: [MetricsController],
  providers: [MetricsService, RequestStats],
  exports: [MetricsService, RequestStats],
})
export class MetricsModule {}
