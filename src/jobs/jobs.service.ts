import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { JsonText } from '../common/json-text';
import { Messages } from '../common/messages';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { CancelJobsQuery } from './dto/cancel-jobs.query';
import { ListJobsQuery, parseFieldList } from './dto/list-jobs.query';
import { decodeCursor, encodeCursor } from './job-id';
import { JobStopper } from '../workers/job-stopper';
import { JobEventsService } from './job-events.service';
import { JobStore } from './job-store';
import { toJobFieldsJson, toJobJson } from './job-view';
import { DOCUMENT_FIELDS, ENDED_STATUSES, JOB_STATUSES, JobRecord } from './job.model';
import { BatchDto } from './dto/job.response';

export interface JobListPage {
  /** the page's jobs as one JSON array (JobView[]), written by toJobJson */
  jobs: JsonText;
  page: { limit: number; next_cursor: string | null };
}

export interface CancelOutcome {
  cancelled_count: number;
  cancelled_jobs: string[];
  /** with force=true: the started jobs that were stopped (also counted in cancelled_*) */
  stopped_jobs?: string[];
}

const DEFAULT_LIMIT = 100;

/** The rules of GET and DELETE /job; the job store does the I/O. */
@Injectable()
export class JobsService {
  readonly time: TimeFormatter;

  constructor(
    private readonly store: JobStore,
    private readonly stopper: JobStopper,
    private readonly config: AppConfig,
    private readonly events: JobEventsService,
  ) {
    this.time = new TimeFormatter(config.timeZone);
  }

  async list(q: ListJobsQuery): Promise<JobListPage> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    if (q.wait !== undefined && q.id === undefined) {
      throw ApiError.badRequest(Messages.validation, [{ field: 'wait', error: 'needs id: wait follows one job' }]);
    }
    const fields = q.fields === undefined ? null : parseFieldList(q.fields);
    const json = (job: JobRecord) => (fields ? toJobFieldsJson(job, this.time, fields) : toJobJson(job, this.time));
    if (q.id !== undefined) {
      const job = q.wait !== undefined ? await this.events.waitForEnd(q.id, q.wait * 1000) : await this.store.get(q.id);
      return { jobs: JsonText.array(job ? [json(job)] : []), page: { limit, next_cursor: null } };
    }
    const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
    if (q.cursor !== undefined && after === null) {
      throw ApiError.badRequest(Messages.validation, [{ field: 'cursor', error: 'must be a cursor returned by a previous page' }]);
    }
    const withDocument = !fields || [...fields].some((f) => DOCUMENT_FIELDS.has(f));
    const page = await this.store.list({ status: q.status, queue: q.queue, host: q.host, node: q.node, batch: q.batch, schedule: q.schedule }, limit, after, withDocument);
    return {
      jobs: JsonText.array(page.jobs.map(json)),
      page: { limit, next_cursor: page.nextAfter ? encodeCursor(page.nextAfter) : null },
    };
  }

  async cancel(q: CancelJobsQuery): Promise<CancelOutcome> {
    const ttlMs = this.config.jobResultTtlSec * 1000;
    if (q.id !== undefined) return this.cancelOne(q.id, ttlMs, q.force === 'true');
    if (q.batch === undefined && q.queue === undefined && q.host === undefined) throw ApiError.badRequest(Messages.cancelNeedsFilter);
    if (q.batch !== undefined && q.queue !== undefined) throw ApiError.badRequest(Messages.batchWithQueue, [{ field: 'queue', error: Messages.batchWithQueue }]);
    const ids = await this.store.cancelQueued({ batch: q.batch, queue: q.queue, host: q.host }, ttlMs);
    return { cancelled_count: ids.length, cancelled_jobs: ids };
  }

  /** GET /job/batch/{id}: the bulk's jobs counted by status; done once none waits or runs. */
  async batch(id: string): Promise<BatchDto> {
    const batch = await this.store.batchCounts(id);
    if (!batch) throw new ApiError(HttpStatus.NOT_FOUND, Messages.batchNotFound(id));
    const { counts } = batch;
    const done = JOB_STATUSES.every((status) => ENDED_STATUSES.includes(status) || counts[status] === 0);
    return { id, total: batch.total, counts, created_at: this.time.format(batch.createdAt), done };
  }

  private async cancelOne(id: string, ttlMs: number, force: boolean): Promise<CancelOutcome> {
    const [outcome] = await this.store.cancelIds([id], ttlMs);
    if (outcome === 'missing') throw new ApiError(HttpStatus.NOT_FOUND, Messages.jobNotFound(id));
    if (outcome === 'started' && force) {
      await this.stopper.stop(id);
      return { cancelled_count: 1, cancelled_jobs: [id], stopped_jobs: [id] };
    }
    if (outcome !== 'cancelled') throw new ApiError(HttpStatus.CONFLICT, Messages.jobNotCancellable(id, outcome));
    return { cancelled_count: 1, cancelled_jobs: [id] };
  }
}
