import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { JobSubmitter } from '../devices/job-submitter';
import { SCHEDULE_QUEUE } from '../redis/redis.constants';
import { WorkerFactory } from '../redis/worker-factory';
import { ScheduleDefinition, ScheduleStore } from './schedule-store';

/** Occurrences a missed gap counts at most (a cron of every minute down for months is still one read). */
const MAX_COUNTED = 100_000;

/**
 * Runs the occurrences of schedules: BullMQ's job scheduler puts one job per occurrence on SCHEDULE_QUEUE, and this
 * consumer turns it into an ordinary device job (with `schedule` set), submitted as POST /device/execute would.
 *
 * It runs on worker nodes, not in the API: a node is already a consumer (the API never consumes, so scaling the API
 * never scales consumers), and an occurrence needs no HTTP. Every node consumes the queue; BullMQ hands each
 * occurrence to one of them, and ScheduleStore.claim makes a second delivery (a stalled job handed over again) a
 * no-op. The schedule lives in Redis, so it survives restarts of every process. An occurrence that comes later than
 * SCHEDULE_MISFIRE_GRACE (every node was down) is not run: it is counted, with the other occurrences of the gap, in
 * the schedule's `missed`, and logged. BullMQ schedules the next occurrence from now, so nothing runs in a burst.
 */
@Injectable()
export class ScheduleRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleRunner.name);

  constructor(
    private readonly workers: WorkerFactory,
    private readonly store: ScheduleStore,
    private readonly submitter: JobSubmitter,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const worker = this.workers.create(SCHEDULE_QUEUE, (job: Job) => this.occur(job), { concurrency: 4 });
    worker.on('error', (err) => this.logger.warn(err.message));
  }

  /** One occurrence: its job id is BullMQ's `repeat:{schedule}:{occurrence ms}`. */
  async occur(job: Job): Promise<void> {
    const name = (job.data as { schedule?: string }).schedule ?? '';
    const occurrence = Number(String(job.id).split(':').pop());
    const def = await this.store.get(name);
    if (!def || !Number.isFinite(occurrence) || !(await this.store.claim(name, occurrence))) return;
    const late = Date.now() - occurrence;
    if (late > this.config.scheduleMisfireGraceSec * 1000) return this.missed(def, occurrence);
    try {
      const spec = { ...def.spec, request: { ...def.spec.request, schedule: name }, runAt: occurrence };
      const submitted = await this.submitter.submit(spec);
      await this.store.recordRun(name, submitted.id, occurrence);
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'the job could not be submitted; see the worker node log';
      if (!(err instanceof ApiError)) this.logger.error({ schedule: name, err: (err as Error).message }, 'schedule occurrence failed');
      await this.store.recordError(name, message);
    }
  }

  private async missed(def: ScheduleDefinition, occurrence: number): Promise<void> {
    const { count, last } = countMissed(def, occurrence, Date.now());
    await this.store.recordMissed(def.name, count, occurrence, last);
    this.logger.warn({ schedule: def.name, missed: count, from: new Date(occurrence).toISOString(), to: new Date(last).toISOString() },
      'schedule occurrences missed while no worker node ran them: not replayed');
  }
}

/** The occurrences from `from` up to `now`: how many, and the last. */
export function countMissed(def: Pick<ScheduleDefinition, 'cron' | 'timezone' | 'every'>, from: number, now: number): { count: number; last: number } {
  if (def.every) {
    const step = def.every * 1000;
    const count = Math.floor((now - from) / step) + 1;
    return { count, last: from + (count - 1) * step };
  }
  const it = CronExpressionParser.parse(def.cron ?? '', { currentDate: new Date(from - 1), tz: def.timezone ?? undefined });
  let count = 0;
  let last = from;
  while (count < MAX_COUNTED) {
    const next = it.next().getTime();
    if (next > now) break;
    count++;
    last = next;
  }
  return { count: Math.max(1, count), last };
}
