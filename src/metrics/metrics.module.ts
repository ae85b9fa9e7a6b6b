import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { JobStoreModule } from '../jobs/job-store.module';
import { WorkersModule } from '../workers/workers.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { RequestStats } from './request-stats';

/** GET /metrics and the HTTP timing of every request (API process). */
@Module({
  imports: [JobStoreModule, WorkersModule],
  controllers: [MetricsController],
  providers: [MetricsService, RequestStats],
  exports: [MetricsService, RequestStats],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
