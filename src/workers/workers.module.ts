import { Module } from '@nestjs/common';
import { JobStoreModule } from '../jobs/job-store.module';
import { ControlChannel } from './control-channel';
import { FleetStore } from './fleet-store';
import { FleetSweeper } from './fleet-sweeper';
import { JobStopper } from './job-stopper';
import { NodeDirectory } from './node-directory';
import { PinnedPlacement } from './pinned-placement';
import { WorkersService } from './workers.service';

/** The fleet as seen from any process: registry, placement, control channel, the dead-node sweeper. */
@Module({
  imports: [JobStoreModule],
  providers: [FleetStore, NodeDirectory, PinnedPlacement, ControlChannel, FleetSweeper, WorkersService, JobStopper],
  exports: [FleetStore, NodeDirectory, PinnedPlacement, ControlChannel, WorkersService, JobStopper],
})
export class WorkersModule {}
