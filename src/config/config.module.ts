import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnv } from './env.validation';

/**
 * Reads and validates the environment when forRoot() is called (at boot), not at import time,
 * so tests can set their own key prefix before building an application.
 */
@Module({})
export class AppConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ validate: validateEnv, cache: true })],
      providers: [AppConfig],
      exports: [AppConfig],
    };
  }
}
