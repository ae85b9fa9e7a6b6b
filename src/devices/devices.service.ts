import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { JobView } from '../jobs/job.model';
import { JobStore } from '../jobs/job-store';
import { toJobView } from '../jobs/job-view';
import { JobsService } from '../jobs/jobs.service';
import { BulkExecuteDto } from './dto/bulk.dto';
import { ExecuteDto } from './dto/execute.dto';
import { TestConnectionDto, TestConnectionResultDto } from './dto/test-connection.dto';
import { DeviceLocks } from './device-locks';
import { LockoutClearedDto } from './dto/lockout.dto';
import { IdempotencyKeys } from './idempotency';
import { DeviceJobSpec, JobSubmitter, JobTemplates, commandsOf } from './job-submitter';
import { BulkJobs, BulkOutcome } from './bulk-jobs';
import { Messages } from '../common/messages';
import { TemplatesService } from '../templates/templates.service';

/** How often test-connection looks at its job while waiting. */
const TEST_POLL_MS = 20;

/** The rules of /device/*: one job, many jobs, and a synchronous connection test run by a worker node. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly submitter: JobSubmitter,
    private readonly store: JobStore,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly idempotency: IdempotencyKeys,
    private readonly templates: TemplatesService,
    private readonly locks: DeviceLocks,
    private readonly bulkJobs: BulkJobs,
  ) {}

  /** DELETE /device/lockout: the host takes jobs again, with its count of failures reset. Not locked: cleared false. */
  async clearLockout(host: string): Promise<LockoutClearedDto> {
    return { host, cleared: await this.locks.clear(host) };
  }

  /** One job; with an Idempotency-Key, a retry of the same request returns the first job. */
  async execute(dto: ExecuteDto, idempotency?: { key: string; scope: string }): Promise<JobView> {
    const spec = await this.specOf(dto);
    if (!idempotency) return toJobView(await this.submitter.submit(spec), this.jobs.time);
    const { id } = await this.idempotency.once(idempotency.key, idempotency.scope, async () => (await this.submitter.submit(spec)).id);
    const job = await this.store.get(id);
    if (!job) throw new ApiError(HttpStatus.GONE, `The job of this Idempotency-Key (${id}) has expired`);
    return toJobView(job, this.jobs.time);
  }

  /**
   * A request as it would be stored (templates resolved and checked, host allowed, credential known), without storing
   * it: POST /device/execute's first step, and a schedule's job (stored once, submitted at each occurrence).
   */
  async specOf(dto: ExecuteDto): Promise<DeviceJobSpec> {
    const templates = await this.templatesOf(dto);
    if (templates.parsing) this.templates.checkNtc(templates.parsing, dto.connection_args.device_type, commandsOf(dto));
    const spec = this.submitter.spec(dto, 'execute', templates);
    if (!this.submitter.allowList.allows(spec.request.host)) {
      throw ApiError.badRequest(Messages.hostNotAllowed(spec.request.host), [{ field: 'connection_args.host', error: 'not in ALLOWED_HOSTS' }]);
    }
    return spec;
  }

  /** One job per device, under one batch id (see BulkJobs). */
  bulk(dto: BulkExecuteDto): Promise<BulkOutcome> {
    return this.bulkJobs.submit(dto);
  }

  /**
   * Connects through a FIFO worker (API pods need no route to the devices) and waits, bounded by the
   * connect timeout, for the worker's answer.
   */
  async testConnection(dto: TestConnectionDto): Promise<TestConnectionResultDto> {
    const spec = this.submitter.spec({ ...dto } as ExecuteDto, 'test_connection');
    spec.request.timeout = (dto.connection_args.timeout ?? 10) + 5;
    const job = await this.submitter.submit(spec);
    const deadline = Date.now() + (spec.request.timeout + 5) * 1000;
    while (Date.now() < deadline) {
      const current = await this.store.get(job.id);
      if (current && current.ended_at !== null) {
        const r = current.result;
        // A connection test's retval is the session's info (prompt, hostname), never parsed records.
        const info = r?.type === 'success' && r.retval && typeof r.retval === 'object' ? (r.retval as Record<string, string>) : null;
        return {
          success: r?.type === 'success',
          connection_time: current.started_at !== null ? (current.ended_at - current.started_at) / 1000 : null,
          error_message: r?.error ? `${r.error.type}: ${r.error.message}` : null,
          device_info: info ? { prompt: info.prompt ?? '', hostname: info.hostname ?? '' } : null,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, TEST_POLL_MS));
    }
    await this.store.cancelIds([job.id], this.config.jobResultTtlSec * 1000);
    throw new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'No worker answered the connection test in time');
  }

  /** A request's parsing and rendering, resolved once (a bulk shares them): template sources read, templates checked. */
  private async templatesOf(dto: ExecuteDto): Promise<JobTemplates> {
    const templates: JobTemplates = {};
    if (dto.parsing) {
      if (dto.command === undefined) throw ApiError.badRequest(Messages.parsingNeedsCommand, [{ field: 'parsing', error: Messages.parsingNeedsCommand }]);
      templates.parsing = await this.templates.jobParsing(dto.parsing);
    }
    if (dto.rendering) {
      if (dto.config === undefined) throw ApiError.badRequest(Messages.renderingNeedsConfig, [{ field: 'config', error: Messages.renderingNeedsConfig }]);
      templates.rendering = await this.templates.renderConfig(dto.rendering, dto.config as Record<string, unknown>);
    }
    return templates;
  }
}
