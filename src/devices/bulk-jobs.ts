import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidationArguments, validate } from 'class-validator';
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { toFieldErrors } from '../common/validation';
import { JobView } from '../jobs/job.model';
import { JobStore } from '../jobs/job-store';
import { toJobView } from '../jobs/job-view';
import { JobsService } from '../jobs/jobs.service';
import { ConfigTemplate, TemplatesService } from '../templates/templates.service';
import { BulkDevice, BulkExecuteDto } from './dto/bulk.dto';
import { ConnectionArgsDto } from './dto/connection-args.dto';
import { CommandLines, ConfigLinesOrVariables, ExecuteDto } from './dto/execute.dto';
import { JobSubmitter, JobTemplates, commandsOf } from './job-submitter';

export interface BulkOutcome {
  /** the batch every stored job carries; null when no job was stored */
  batch_id: string | null;
  succeeded: JobView[];
  failed: { host: string; error: string }[];
}

/** The templates of a bulk, resolved once: the parsing, and the config template (rendered once, or per device). */
interface BulkTemplates {
  parsing?: JobTemplates['parsing'];
  configTemplate?: ConfigTemplate;
  /** the shared config rendered from the shared variables */
  shared?: JobTemplates['rendering'];
}

type Outcome = { job: JobView } | { host: string; error: string };

/**
 * POST /device/bulk: one job per device, all under one batch id (listed, counted and cancelled together). Each
 * device is merged over the shared connection_args and may carry its own command or config; a device that is
 * invalid or cannot be placed is reported in `failed`, never fatal to the others.
 */
@Injectable()
export class BulkJobs {
  constructor(
    private readonly submitter: JobSubmitter,
    private readonly store: JobStore,
    private readonly jobs: JobsService,
    private readonly templates: TemplatesService,
  ) {}

  async submit(dto: BulkExecuteDto): Promise<BulkOutcome> {
    const templates = await this.resolveTemplates(dto);
    const batchId = this.store.newId();
    const settled = await Promise.all(dto.devices.map((device) => this.submitOne(dto, device, templates, batchId)));
    const outcome: BulkOutcome = { batch_id: null, succeeded: [], failed: [] };
    for (const r of settled) {
      if ('job' in r) outcome.succeeded.push(r.job);
      else outcome.failed.push(r);
    }
    if (outcome.succeeded.length > 0) outcome.batch_id = batchId;
    return outcome;
  }

  /** Checks and reads what every device shares; a broken template or a request no device can use is a 400 for all. */
  private async resolveTemplates(dto: BulkExecuteDto): Promise<BulkTemplates> {
    const resolved: BulkTemplates = {};
    if (dto.parsing) {
      if (dto.command === undefined && !dto.devices.some((d) => d.command !== undefined)) {
        throw ApiError.badRequest(Messages.parsingNeedsCommand, [{ field: 'parsing', error: Messages.parsingNeedsCommand }]);
      }
      resolved.parsing = await this.templates.jobParsing(dto.parsing);
    }
    if (dto.rendering) {
      if (dto.config === undefined && !dto.devices.some((d) => d.config !== undefined)) {
        throw ApiError.badRequest(Messages.renderingNeedsConfig, [{ field: 'config', error: Messages.renderingNeedsConfig }]);
      }
      resolved.configTemplate = await this.templates.configTemplate(dto.rendering);
      if (dto.config !== undefined) resolved.shared = resolved.configTemplate.render(dto.config as Record<string, unknown>);
    }
    return resolved;
  }

  private async submitOne(dto: BulkExecuteDto, device: BulkDevice, templates: BulkTemplates, batchId: string): Promise<Outcome> {
    const { command, config, ...connection } = device;
    const args = plainToInstance(ConnectionArgsDto, { ...dto.connection_args, ...connection });
    const host = String(args.host ?? '');
    const errors = toFieldErrors(await validate(args, { forbidUnknownValues: false })).map((e) => `${e.field}: ${e.error}`);
    errors.push(...deviceJobErrors(device, dto));
    if (errors.length > 0) return { host, error: errors.join('; ') };
    // The device's own command or config replaces the shared job entirely (a command device in a config bulk runs a command).
    const own = command !== undefined || config !== undefined;
    const job: ExecuteDto = { ...dto, connection_args: args, command: own ? command : dto.command, config: own ? config : dto.config };
    try {
      const jobTemplates = this.templatesFor(job, config !== undefined, templates);
      if (jobTemplates.parsing) this.templates.checkNtc(jobTemplates.parsing, args.device_type, commandsOf(job));
      const spec = this.submitter.spec(job, 'execute', jobTemplates);
      spec.request.batch_id = batchId;
      return { job: toJobView(await this.submitter.submit(spec), this.jobs.time) };
    } catch (err) {
      if (err instanceof ApiError) return { host, error: err.message };
      throw err;
    }
  }

  /** Parsing for command jobs, rendering for config jobs: the device's own variables rendered for it, or the shared lines. */
  private templatesFor(job: ExecuteDto, ownConfig: boolean, templates: BulkTemplates): JobTemplates {
    if (job.command !== undefined) return templates.parsing ? { parsing: templates.parsing } : {};
    if (!templates.configTemplate) return {};
    return { rendering: ownConfig ? templates.configTemplate.render(job.config as Record<string, unknown>) : templates.shared };
  }
}

/** The device's own command or config, checked as the request's own fields are (the pipe lets them through unchecked). */
function deviceJobErrors(device: BulkDevice, dto: BulkExecuteDto): string[] {
  if (device.command !== undefined && device.config !== undefined) return [`command, config: ${Messages.commandOrConfig}`];
  const check = (property: 'command' | 'config', rule: CommandLines | ConfigLinesOrVariables): string[] => {
    const value = device[property];
    if (value === undefined) return [];
    const args = { property, value, object: dto, constraints: [], targetName: 'BulkDevice' } as ValidationArguments;
    return rule.validate(value, args) ? [] : [`${property}: ${rule.defaultMessage(args)}`];
  };
  return [...check('command', new CommandLines()), ...check('config', new ConfigLinesOrVariables())];
}
