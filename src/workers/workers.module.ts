import { Module } from '@nestjs/common';
import { FleetStore } from './fleet-store';
import { NodeDirectory } from './node-directory';
import { PinnedPlacement } from './pinned-placement';

/** The fleet as seen from any process: node registry, placement of pinned workers. */
@Module({
  providers: [FleetStore, NodeDirectory, PinnedPlacement],
  exports: [FleetStore, NodeDirectory, PinnedPlacement],
})
export class WorkersModule {}
