import { Module } from '@nestjs/common';
import { JobOutputLog } from './job-output-log';
import { JobStore } from './job-store';
import { JobTallyFlusher } from './job-tally-flusher';

/** The job store alone: imported by every module that reads or writes jobs. */
@Module({ providers: [JobStore, JobTallyFlusher, JobOutputLog], exports: [JobStore, JobOutputLog] })
export class JobStoreModule {}
