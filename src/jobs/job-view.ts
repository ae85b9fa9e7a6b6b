import { TimeFormatter } from '../common/time-format';
import { JobRecord, JobView } from './job.model';

const seconds = (from: number | null, to: number | null): number | null =>
  from !== null && to !== null ? Math.round(to - from) / 1000 : null;

/** The API shape of a job: times in the configured zone, durations in seconds, no secrets (there are none stored). */
export function toJobView(job: JobRecord, time: TimeFormatter): JobView {
  return {
    id: job.id,
    status: job.status,
    queue: job.queue,
    host: job.host,
    node: job.node,
    worker: job.worker,
    created_at: time.format(job.created_at),
    enqueued_at: time.format(job.enqueued_at),
    started_at: time.format(job.started_at),
    ended_at: time.format(job.ended_at),
    result: job.result,
    duration: seconds(job.started_at, job.ended_at),
    queue_time: seconds(job.enqueued_at, job.started_at),
    driver: job.request?.driver ?? null,
    device_type: job.request?.device_type ?? null,
    command: job.request?.command ?? null,
    config: job.request?.config ?? null,
    webhook: job.request?.webhook ?? null,
  };
}
