import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FleetStore } from './fleet-store';
import { NodeDirectory } from './node-directory';
import { SchedulingStrategy, STRATEGIES } from './scheduling/scheduling-strategy';

/**
 * Decides which node hosts the pinned worker of a device. The strategy (SCHEDULER_STRATEGY) orders the
 * candidates; the fleet store's PLACE script makes the decision atomic, so two API replicas placing the
 * same new host at once agree on one node.
 */
@Injectable()
export class PinnedPlacement {
  readonly strategy: SchedulingStrategy;

  constructor(
    private readonly fleet: FleetStore,
    private readonly nodes: NodeDirectory,
    private readonly config: AppConfig,
  ) {
    this.strategy = STRATEGIES[config.schedulerStrategy]();
  }

  /** The node that serves host, placing it if needed; null when no live node has room. */
  async nodeFor(host: string): Promise<string | null> {
    const ttlMs = this.config.workerTtlSec * 1000;
    const current = await this.fleet.pinnedNode(host);
    if (current && (await this.nodes.liveNodes()).some((n) => n.name === current)) return current;
    // A new placement reads fresh counts: the strategy's rule must see the previous placements.
    const candidates = (await this.fleet.liveNodes(ttlMs)).filter((n) => n.capacity > n.pinned_count);
    for (const candidate of this.strategy.order(candidates)) {
      const placed = await this.fleet.place(host, candidate.name, ttlMs, candidate.capacity);
      if (placed !== '') return placed;
    }
    // No room left, or none seen: a concurrent submit for this very host may have taken the last place since the
    // pin was read above (the counts read here include it). Then that placement serves this job too.
    const placedMeanwhile = await this.fleet.pinnedNode(host);
    if (placedMeanwhile && (await this.fleet.liveNodes(ttlMs)).some((n) => n.name === placedMeanwhile)) return placedMeanwhile;
    return null;
  }
}
