import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FleetStore, LiveNode } from './fleet-store';

/** How long a view of the live nodes is reused: submits at thousands per second must not each read it. */
const CACHE_MS = 1000;

/** The live worker nodes as the API sees them, read from the fleet store at most once a second. */
@Injectable()
export class NodeDirectory {
  private cached: { at: number; nodes: Promise<LiveNode[]> } | null = null;

  constructor(private readonly fleet: FleetStore, private readonly config: AppConfig) {}

  liveNodes(): Promise<LiveNode[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const nodes = this.fleet.liveNodes(this.config.workerTtlSec * 1000);
      this.cached = { at: now, nodes };
      nodes.catch(() => (this.cached = null));
    }
    return this.cached.nodes;
  }

  async hasFifoWorker(): Promise<boolean> {
    return (await this.liveNodes()).some((n) => n.fifo_concurrency > 0);
  }
}
