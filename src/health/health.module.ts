import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WorkersModule } from '../workers/workers.module';
import { HealthController } from './health.controller';
import { HealthReporter } from './health.reporter';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), WorkersModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, HealthReporter],
  exports: [RedisHealthIndicator],
})
export class HealthModule {}
