import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { JobStore } from '../jobs/job-store';
import { ControlChannel } from './control-channel';
import { WorkerTargetQuery } from './dto/worker-filter.query';
import { FleetStore, WorkerFilter } from './fleet-store';
import { ControlReply, WorkerRecord, WorkerStatus, WorkerView } from './worker.model';

export interface StoppedWorker {
  worker: string;
  status: 'stopped';
  interrupted_jobs: number;
}

/** The rules of GET/DELETE /worker and suspend/resume: the fleet store holds the state, nodes act. */
@Injectable()
export class WorkersService {
  private readonly time: TimeFormatter;

  constructor(
    private readonly fleet: FleetStore,
    private readonly control: ControlChannel,
    private readonly jobs: JobStore,
    private readonly config: AppConfig,
  ) {
    this.time = new TimeFormatter(config.timeZone);
  }

  async list(filter: WorkerFilter): Promise<WorkerView[]> {
    const [records, now] = await Promise.all([this.fleet.workers(filter), this.fleet.redisTimeMs()]);
    return records.map((w) => this.view(w, now));
  }

  /**
   * Force-stops the matched live workers through their nodes. A worker whose node does not confirm within
   * CONTROL_TIMEOUT_MS is marked stopped here and its running job failed as stopped.
   */
  async stop(target: WorkerTargetQuery): Promise<StoppedWorker[]> {
    const live = await this.liveTargets(target);
    const asks = live.map((w) => ({ w, reply: this.control.replyId() }));
    const answers = await this.control.ask(
      asks.map(({ w, reply }) => ({ node: w.node, message: { type: 'stop' as const, worker: w.name, reply } })),
      this.config.controlTimeoutMs,
    );
    return Promise.all(asks.map(async ({ w, reply }) => {
      const answer = answers.get(reply) ?? (await this.stopUnconfirmed(w));
      return { worker: w.name, status: 'stopped' as const, interrupted_jobs: answer.interrupted_jobs };
    }));
  }

  /** Suspends (takes no new job; the running one finishes) or resumes the matched live workers. */
  async setSuspended(target: WorkerTargetQuery, suspended: boolean): Promise<{ worker: string; status: WorkerStatus }[]> {
    const live = await this.liveTargets(target);
    const now = await this.fleet.redisTimeMs();
    return Promise.all(live.map(async (w) => {
      await this.fleet.setWorkerFlag(w.name, 'suspended', suspended);
      await this.control.tell(w.node, { type: suspended ? 'suspend' : 'resume', worker: w.name });
      return { worker: w.name, status: this.status({ ...w, suspended }, now) };
    }));
  }

  private async liveTargets(target: WorkerTargetQuery): Promise<WorkerRecord[]> {
    const { name, queue, node, host } = target;
    if ([name, queue, node, host].every((v) => v === undefined)) throw ApiError.badRequest(Messages.workerNeedsFilter);
    const now = await this.fleet.redisTimeMs();
    return (await this.fleet.workers({ name, queue, node, host })).filter((w) => this.status(w, now) !== 'dead');
  }

  /** The node did not answer: the API side records what the node could not. */
  private async stopUnconfirmed(w: WorkerRecord): Promise<ControlReply> {
    await this.fleet.setWorkerFlag(w.name, 'stopped', true);
    if (w.host) await this.fleet.unpin(w.host, w.node);
    if (!w.current_job) return { worker: w.name, interrupted_jobs: 0 };
    const failed = await this.jobs.end(w.current_job, 'failed', {
      type: 'stopped', retval: null,
      error: { type: 'StoppedError', message: `worker ${w.name} was stopped; its node did not confirm, so the job was marked stopped` },
    }, this.config.jobResultTtlSec * 1000, w.name);
    return { worker: w.name, interrupted_jobs: failed ? 1 : 0 };
  }

  private status(w: WorkerRecord, now: number): WorkerStatus {
    if (w.stopped || now - w.heartbeat > this.config.workerTtlSec * 1000) return 'dead';
    if (w.suspended) return 'suspended';
    return w.current_job ? 'busy' : 'idle';
  }

  private view(w: WorkerRecord, now: number): WorkerView {
    return {
      name: w.name,
      status: this.status(w, now),
      pid: w.pid,
      hostname: w.hostname,
      node: w.node,
      queues: [w.queue],
      host: w.host,
      last_heartbeat: this.time.format(w.heartbeat),
      birth_at: this.time.format(w.birth_at),
      successful_job_count: w.successful,
      failed_job_count: w.failed,
      current_job: w.current_job,
    };
  }
}
