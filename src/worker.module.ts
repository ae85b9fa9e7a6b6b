import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { NodeModule } from './node/node.module';

/** The worker node process: no HTTP routes, only the node's consumers (plus a probe listener in worker.ts). */
@Module({})
export class WorkerModule {
  static forRoot(): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(), NodeModule] };
  }
}
