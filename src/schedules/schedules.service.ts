import { HttpStatus, Injectable } from '@nestjs/common';
import { CronExpressionParser } from 'cron-parser';
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { DevicesService } from '../devices/devices.service';
import { ExecuteDto } from '../devices/dto/execute.dto';
import { CreateScheduleDto, ScheduleDto } from './dto/schedule.dto';
import { ScheduleDefinition, ScheduleState, ScheduleStore } from './schedule-store';

const INLINE_SECRETS = ['password', 'secret', 'private_key', 'passphrase'] as const;

/**
 * The rules of POST/GET/DELETE /schedule. A schedule's job is checked as POST /device/execute checks one (templates
 * resolved now, once), and stored without secrets: it must name a credential set, which the worker node reads at
 * each run. The occurrences are BullMQ's job scheduler's; worker nodes submit their jobs (ScheduleRunner).
 */
@Injectable()
export class SchedulesService {
  private readonly time: TimeFormatter;

  constructor(
    private readonly store: ScheduleStore,
    private readonly devices: DevicesService,
    private readonly config: AppConfig,
  ) {
    this.time = new TimeFormatter(config.timeZone);
  }

  async create(dto: CreateScheduleDto): Promise<ScheduleDto> {
    if ((dto.cron === undefined) === (dto.every === undefined)) throw bad('cron', Messages.cronOrEvery);
    const timezone = dto.cron !== undefined ? (dto.timezone ?? this.config.timeZone) : null;
    if (timezone !== null) checkCron(dto.cron as string, timezone);
    checkStoredJob(dto.job);
    const spec = await this.devices.specOf(dto.job);
    const def: ScheduleDefinition = { name: dto.name, cron: dto.cron ?? null, timezone, every: dto.every ?? null, spec, created_at: Date.now() };
    await this.store.save(def);
    const saved = (await this.store.list()).find((s) => s.def.name === dto.name);
    return this.view(def, saved?.state ?? { last_job: null, last_error: null, missed_total: 0, missed_last: null, next: null });
  }

  async list(): Promise<ScheduleDto[]> {
    return (await this.store.list()).map(({ def, state }) => this.view(def, state));
  }

  async remove(name: string): Promise<{ name: string; deleted: boolean }> {
    if (!(await this.store.remove(name))) throw new ApiError(HttpStatus.NOT_FOUND, Messages.scheduleNotFound(name));
    return { name, deleted: true };
  }

  private view(def: ScheduleDefinition, state: ScheduleState): ScheduleDto {
    const job: Record<string, unknown> = { ...def.spec.request };
    if (def.spec.request.parsing) job.parsing = { ...def.spec.request.parsing, template: undefined };
    const at = (ms: number) => this.time.format(ms);
    return {
      name: def.name,
      cron: def.cron,
      every: def.every,
      timezone: def.timezone,
      job,
      next_run_at: state.next === null ? null : at(state.next),
      last_job: state.last_job ? { id: state.last_job.id, run_at: at(state.last_job.run_at) } : null,
      last_error: state.last_error,
      missed: { total: state.missed_total, last: state.missed_last ? { count: state.missed_last.count, from: at(state.missed_last.from), to: at(state.missed_last.to) } : null },
      created_at: at(def.created_at),
    };
  }
}

/** A schedule stores its job for good: no inline secret, a credential reference instead, and no one-off time. */
function checkStoredJob(job: ExecuteDto): void {
  for (const f of INLINE_SECRETS) if (job.connection_args[f] !== undefined) throw bad(`job.connection_args.${f}`, Messages.scheduleInlineSecret(`connection_args.${f}`));
  const webhook = job.options?.webhook;
  if (webhook?.auth !== undefined) throw bad('job.options.webhook.auth', Messages.scheduleInlineSecret('options.webhook.auth'));
  if (webhook?.headers !== undefined) throw bad('job.options.webhook.headers', Messages.scheduleInlineSecret('options.webhook.headers'));
  if (webhook && /^[a-z]+:\/\/[^/]*@/i.test(webhook.url)) throw bad('job.options.webhook.url', Messages.scheduleInlineSecret('a user:password in options.webhook.url'));
  if (job.connection_args.credential === undefined) throw bad('job.connection_args.credential', Messages.scheduleNeedsCredential);
  if (job.options?.run_at !== undefined || job.options?.delay !== undefined) throw bad('job.options', Messages.scheduleNoRunAt);
}

function checkCron(cron: string, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw bad('timezone', Messages.badTimeZone(timezone));
  }
  try {
    CronExpressionParser.parse(cron, { tz: timezone });
  } catch (err) {
    throw bad('cron', Messages.badCron((err as Error).message));
  }
}

function bad(field: string, error: string): ApiError {
  return ApiError.badRequest(error, [{ field, error }]);
}
