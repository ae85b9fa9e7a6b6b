import { Module } from '@nestjs/common';
import { WorkersController } from './workers.controller';
import { WorkersModule } from './workers.module';

/** GET/DELETE /worker and suspend/resume, for the API process only. */
@Module({ imports: [WorkersModule], controllers: [WorkersController] })
export class WorkersApiModule {}
