import { Module } from '@nestjs/common';
import { WorkersModule } from '../workers/workers.module';
import { JobStoreModule } from './job-store.module';
import { JobsController } from './jobs.controller';
import { JobEventBus } from './job-event-bus';
import { JobEventsService } from './job-events.service';
import { JobsService } from './jobs.service';

/** GET and DELETE /job. */
@Module({
  imports: [JobStoreModule, WorkersModule],
  controllers: [JobsController],
  providers: [JobsService, JobEventsService, JobEventBus],
  exports: [JobsService],
})
export class JobsModule {}
