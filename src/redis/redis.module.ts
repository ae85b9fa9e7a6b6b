import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { BULL_QUEUE_OPTIONS, FIFO_QUEUE, REDIS } from './redis.constants';
import { RedisConnections } from './redis-connections';
import { QueueRegistry } from './queue-registry';
import { WorkerFactory } from './worker-factory';

/** Internal: the connection owner, so BullModule's factory can inject it. */
@Global()
@Module({
  providers: [RedisConnections, { provide: REDIS, useFactory: (c: RedisConnections) => c.command, inject: [RedisConnections] }],
  exports: [RedisConnections, REDIS],
})
class RedisConnectionModule {}

/**
 * The one module that creates Redis connections and BullMQ queues and workers.
 * Everything else injects REDIS, QueueRegistry or WorkerFactory.
 */
@Module({})
export class RedisModule {
  static forRoot(): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      imports: [
        RedisConnectionModule,
        BullModule.forRootAsync({
          inject: [RedisConnections],
          useFactory: (redis: RedisConnections) => ({ connection: redis.command, prefix: redis.bullPrefix, ...BULL_QUEUE_OPTIONS }),
        }),
        BullModule.registerQueue({ name: FIFO_QUEUE }),
      ],
      providers: [QueueRegistry, WorkerFactory],
      exports: [RedisConnectionModule, QueueRegistry, WorkerFactory],
    };
  }
}
