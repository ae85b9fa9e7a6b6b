import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Messages } from '../common/messages';
import { AppConfig } from '../config/app-config';
import { JobStore } from '../jobs/job-store';
import { FleetStore, NameHolder, NodeFacts } from '../workers/fleet-store';

/**
 * This process's life under its node name. Every start is a new life, with an id of its own, recorded beside the
 * hostname and pid in the node's record. A node restarted under the same name (docker restart, a compose or systemd
 * restart policy, a StatefulSet pod) beats again at once, so the fleet never sees its previous life die: the new
 * life itself ends what the old one left started, before it takes a job. A name still held by a live process
 * (fresh heartbeat from another hostname or pid) is refused.
 */
@Injectable()
export class NodeLife {
  private readonly logger = new Logger(NodeLife.name);
  readonly id = randomBytes(6).toString('hex');
  readonly hostname = hostname();
  readonly pid = process.pid;
  readonly startedAt = Date.now();

  constructor(
    private readonly fleet: FleetStore,
    private readonly jobs: JobStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * Claims the node name (CLAIM_LIFE, one atomic step): the previous life's started jobs end failed with
   * WorkerLostError. Throws, naming the holder, when a live process holds the name.
   *
   * Whether the recorded holder is alive: a heartbeat older than WORKER_TTL is dead. A fresh one from the same
   * hostname and pid as ours is our own previous life (in a restarted container both are usually equal, and no
   * other process can be that pid on that host now). From the same hostname and another pid, the pid is asked
   * (signal 0): gone means dead. Another hostname with a fresh heartbeat cannot be told from a live process, so it
   * is refused; an orchestrator's restart retries, and once that heartbeat is WORKER_TTL old the name is taken over.
   */
  async claim(facts: NodeFacts): Promise<void> {
    const name = this.config.nodeName;
    const ttlMs = this.config.workerTtlSec * 1000;
    const holder = await this.fleet.holder(name);
    const deadPid = holder && holder.hostname === this.hostname && holder.pid !== this.pid && !pidAlive(holder.pid) ? holder.pid : null;
    const claim = await this.fleet.claimLife(name, facts, ttlMs, deadPid, this.config.jobResultTtlSec * 1000);
    if (claim.kind === 'held') {
      throw new Error(Messages.nodeNameHeld(name, claim.holder, claim.heartbeatAgeMs / 1000, this.config.workerTtlSec));
    }
    this.jobs.countFailed(claim.lost, claim.now);
    if (claim.previous || claim.lost.length > 0) {
      const log = claim.lost.length > 0 ? this.logger.warn.bind(this.logger) : this.logger.log.bind(this.logger);
      log(`node ${name}: life ${this.id} took the name over from ${describe(claim.previous)}; `
        + `${claim.lost.length} job(s) it left started ended failed (WorkerLostError)${claim.lost.length ? `: ${claim.lost.map((j) => j.id).join(', ')}` : ''}`);
    }
  }
}

function describe(holder: NameHolder | null): string {
  return holder ? `life ${holder.life || 'unknown'} (${holder.hostname}, pid ${holder.pid})` : 'a life no longer recorded';
}

/** Whether a pid exists on this host (EPERM: it does, as another user's). */
function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
