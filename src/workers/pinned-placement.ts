import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FleetStore } from './fleet-store';
import { NodeDirectory } from './node-directory';

/**
 * Decides which node hosts the pinned worker of a device. The fleet store's PLACE script makes the
 * decision atomic, so two API replicas placing the same new host at once agree on one node.
 * Strategy for now: least loaded live node with room (issue "worker fleet" adds the selectable ones).
 */
@Injectable()
export class PinnedPlacement {
  constructor(
    private readonly fleet: FleetStore,
    private readonly nodes: NodeDirectory,
    private readonly config: AppConfig,
  ) {}

  /** The node that serves host, placing it if needed; null when no live node has room. */
  async nodeFor(host: string): Promise<string | null> {
    const ttlMs = this.config.workerTtlSec * 1000;
    const current = await this.fleet.pinnedNode(host);
    const candidates = (await this.nodes.liveNodes()).filter((n) => n.capacity > 0).sort((a, b) => a.pinned_count / a.capacity - b.pinned_count / b.capacity);
    if (current && candidates.some((n) => n.name === current)) return current;
    for (const candidate of candidates) {
      const placed = await this.fleet.place(host, candidate.name, ttlMs, candidate.capacity);
      if (placed !== '') {
        if (placed === candidate.name) this.nodes.invalidate();
        return placed;
      }
    }
    return null;
  }
}
