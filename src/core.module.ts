import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggingParams } from './common/logging';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { RedisModule } from './redis/redis.module';
import { CredentialsModule } from './credentials/credentials.module';

/** What both processes share: validated configuration, structured logs, the Redis connections and queues, credential sets. */
@Module({})
export class CoreModule {
  static forRoot(): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        AppConfigModule.forRoot(),
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggingParams }),
        RedisModule.forRoot(),
        CredentialsModule,
      ],
    };
  }
}
