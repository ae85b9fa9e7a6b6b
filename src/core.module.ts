import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from './config/config.module';
import { RedisModule } from './redis/redis.module';

/** What both processes share: validated configuration and the Redis connections and queues. */
@Module({})
export class CoreModule {
  static forRoot(): DynamicModule {
    return { module: CoreModule, imports: [AppConfigModule.forRoot(), RedisModule.forRoot()] };
  }
}
