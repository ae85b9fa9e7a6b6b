import { Injectable } from '@nestjs/common';
import { WorkersService } from '../workers/workers.service';

export interface WorkerHealth {
  status: 'up' | 'down';
  total: number;
  by_status: Record<'busy' | 'idle' | 'suspended' | 'dead', number>;
  /** age of the oldest heartbeat among live workers, seconds */
  oldest_heartbeat_age_s: number | null;
  dead: string[];
}

/** Worker heartbeats for the health report: counts by status, the stalest live heartbeat, the dead by name. */
@Injectable()
export class WorkerHeartbeatIndicator {
  constructor(private readonly workers: WorkersService) {}

  async check(): Promise<WorkerHealth> {
    const all = await this.workers.list({});
    const by_status = { busy: 0, idle: 0, suspended: 0, dead: 0 };
    for (const w of all) by_status[w.status]++;
    const now = Date.now();
    const liveBeats = all.filter((w) => w.status !== 'dead').map((w) => Date.parse(w.last_heartbeat));
    return {
      status: all.length - by_status.dead > 0 ? 'up' : 'down',
      total: all.length,
      by_status,
      oldest_heartbeat_age_s: liveBeats.length ? Math.max(0, Math.round((now - Math.min(...liveBeats)) / 100) / 10) : null,
      dead: all.filter((w) => w.status === 'dead').map((w) => w.name),
    };
  }
}
