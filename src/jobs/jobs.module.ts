import { Module } from '@nestjs/common';
import { JobStore } from './job-store';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/** Job records (the store) and the GET/DELETE /job API. The node module imports the store only. */
@Module({
  controllers: [JobsController],
  providers: [JobStore, JobsService],
  exports: [JobStore, JobsService],
})
export class JobsModule {}

/** The job store alone, for processes without the HTTP API (worker nodes). */
@Module({ providers: [JobStore], exports: [JobStore] })
export class JobStoreModule {}
