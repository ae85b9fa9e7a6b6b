import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyGuard } from './common/api-key.guard';
import { ApiKeyRing } from './common/api-key-ring';
import { RateLimitGuard } from './common/rate-limit.guard';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { JobSweeper } from './jobs/job-sweeper';
import { JobStoreModule } from './jobs/job-store.module';
import { JobsModule } from './jobs/jobs.module';
import { TemplatesModule } from './templates/templates.module';
import { SchedulesModule } from './schedules/schedules.module';
import { WorkersApiModule } from './workers/workers-api.module';

/** The HTTP API process: routes only, no job consumers. */
@Module({})
export class ApiModule {
  static forRoot(): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(),
        ThrottlerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({
            throttlers: [{ ttl: 60_000, limit: c.rateLimitPerMinute || Number.MAX_SAFE_INTEGER }],
            skipIf: () => c.rateLimitPerMinute === 0,
          }),
        }),
        JobStoreModule,
        JobsModule,
        DevicesModule,
        TemplatesModule,
        SchedulesModule,
        WorkersApiModule,
        HealthModule,
        MetricsModule,
      ],
      // Guards run in this order: the key first, then the per-key rate limit.
      providers: [
        ApiKeyRing,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        JobSweeper,
      ],
    };
  }
}
