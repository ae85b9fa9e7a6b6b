import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { AppConfig } from '../config/app-config';
import { JobStore } from '../jobs/job-store';
import { ControlChannel } from './control-channel';

/** How long the API waits for a stopped job to record its end after its node confirmed. */
const END_WAIT_MS = 3000;

/**
 * DELETE /job?id=...&force=true on a started job: the node running it interrupts the command (the
 * pinned worker and its session stay up) and the job ends failed with result.type "stopped" and the
 * output received so far. If the node does not answer, the job is marked stopped here.
 */
@Injectable()
export class JobStopper {
  constructor(
    private readonly jobs: JobStore,
    private readonly control: ControlChannel,
    private readonly config: AppConfig,
  ) {}

  async stop(id: string): Promise<void> {
    const job = await this.jobs.get(id);
    if (!job) throw new ApiError(HttpStatus.NOT_FOUND, Messages.jobNotFound(id));
    if (job.status !== 'started' || !job.worker || !job.node) throw new ApiError(HttpStatus.CONFLICT, Messages.jobNotStoppable(id, job.status));
    const reply = this.control.replyId();
    const answers = await this.control.ask([{ node: job.node, message: { type: 'abort_job', job: id, worker: job.worker, reply } }], this.config.controlTimeoutMs);
    if (answers.get(reply)?.interrupted_jobs) {
      if (await this.waitForEnd(id)) return;
    }
    const marked = await this.jobs.end(id, 'failed', {
      type: 'stopped', retval: null,
      error: { type: 'StoppedError', message: `the job was stopped; worker ${job.worker} did not confirm in time` },
    }, this.config.jobResultTtlSec * 1000, job.worker);
    if (!marked && !(await this.waitForEnd(id))) throw new ApiError(HttpStatus.CONFLICT, Messages.jobNotStoppable(id, 'ended'));
  }

  private async waitForEnd(id: string): Promise<boolean> {
    const deadline = Date.now() + END_WAIT_MS;
    while (Date.now() < deadline) {
      const job = await this.jobs.get(id);
      if (!job || job.ended_at !== null) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }
}
