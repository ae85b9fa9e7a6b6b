import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './common/api-key.guard';
import { CoreModule } from './core.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { JobSweeper } from './jobs/job-sweeper';
import { JobStoreModule } from './jobs/job-store.module';
import { JobsModule } from './jobs/jobs.module';
import { WorkersApiModule } from './workers/workers-api.module';

/** The HTTP API process: routes only, no job consumers. */
@Module({})
export class ApiModule {
  static forRoot(): DynamicModule {
    return {
      module: ApiModule,
      imports: [CoreModule.forRoot(), JobStoreModule, JobsModule, DevicesModule, WorkersApiModule, HealthModule, MetricsModule],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }, JobSweeper],
    };
  }
}
