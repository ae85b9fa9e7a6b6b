import { Module } from '@nestjs/common';
import { JobStore } from './job-store';

/** The job store alone: imported by every module that reads or writes jobs. */
@Module({ providers: [JobStore], exports: [JobStore] })
export class JobStoreModule {}
