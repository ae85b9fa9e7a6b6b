import { Module } from '@nestjs/common';
import { JobStoreModule } from '../jobs/job-store.module';
import { JobsModule } from '../jobs/jobs.module';
import { TemplatesModule } from '../templates/templates.module';
import { WorkersModule } from '../workers/workers.module';
import { BulkJobs } from './bulk-jobs';
import { DevicesController } from './devices.controller';
import { DeviceLocksModule } from './device-locks.module';
import { DevicesService } from './devices.service';
import { IdempotencyKeys } from './idempotency';
import { JobSubmitter } from './job-submitter';

/** POST /device/*: turns device requests into jobs. The drivers themselves run only in worker nodes. */
@Module({
  imports: [JobsModule, JobStoreModule, WorkersModule, DeviceLocksModule, TemplatesModule],
  controllers: [DevicesController],
  providers: [DevicesService, JobSubmitter, BulkJobs, IdempotencyKeys],
  exports: [DevicesService],
})
export class DevicesModule {}
