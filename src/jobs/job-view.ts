import { TimeFormatter } from '../common/time-format';
import { DEFAULT_PRIORITY, JOB_VIEW_FIELDS, JobRecord, JobResult, JobView, ParsingSpec } from './job.model';

const seconds = (from: number | null, to: number | null): number | null =>
  from !== null && to !== null ? Math.round(to - from) / 1000 : null;

/** The API shape of a job: times in the configured zone, durations in seconds, no secrets (there are none stored). */
export function toJobView(job: JobRecord, time: TimeFormatter): JobView {
  return viewWithResult(job, time, job.result);
}

/** Where the result goes in toJobView's JSON text when it is null; `"` outside a string is never escaped, so the first match is the key. */
const NULL_RESULT = ',"result":null,';

/**
 * toJobView as JSON text, with the stored result text spliced in rather than parsed and stringified again
 * (a page of 50 finished jobs carries ~100 KB of device output). Same keys, same order.
 */
export function toJobJson(job: JobRecord, time: TimeFormatter): string {
  if (job.resultJson === undefined) return JSON.stringify(toJobView(job, time));
  const text = JSON.stringify(viewWithResult(job, time, null));
  if (job.resultJson === null) return text;
  const at = text.indexOf(NULL_RESULT);
  return `${text.slice(0, at)},"result":${job.resultJson},${text.slice(at + NULL_RESULT.length)}`;
}

/**
 * Only the named fields of toJobJson, in the view's order (`fields=` of GET /job): pollers that need states do not
 * pay for outputs. The result, when named, is the stored text spliced in, as in toJobJson.
 */
export function toJobFieldsJson(job: JobRecord, time: TimeFormatter, fields: ReadonlySet<keyof JobView>): string {
  const view = viewWithResult(job, time, null);
  const parts: string[] = [];
  for (const field of JOB_VIEW_FIELDS) {
    if (!fields.has(field)) continue;
    const value = field === 'result' && job.resultJson !== undefined ? (job.resultJson ?? 'null') : JSON.stringify(field === 'result' ? job.result : view[field]);
    parts.push(`${JSON.stringify(field)}:${value}`);
  }
  return `{${parts.join(',')}}`;
}

function viewWithResult(job: JobRecord, time: TimeFormatter, result: JobResult | null): JobView {
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
    result,
    duration: seconds(job.started_at, job.ended_at),
    queue_time: seconds(job.enqueued_at, job.started_at),
    driver: job.request?.driver ?? null,
    device_type: job.request?.device_type ?? null,
    command: job.request?.command ?? null,
    config: job.request?.config ?? null,
    webhook: job.request?.webhook ?? null,
    parsing: parsingView(job.request?.parsing),
    rendering: job.request?.rendering ?? null,
    batch_id: job.request?.batch_id ?? null,
    run_at: time.format(job.run_at ?? null),
    priority: job.request?.priority ?? DEFAULT_PRIORITY,
    schedule: job.request?.schedule ?? null,
    attempts: job.attempts ?? 0,
    retry: job.request?.retry ?? null,
    credential: job.request?.credential ?? null,
  };
}

/** The parsing spec without the template text (it can be long; its source says where it came from). */
function parsingView(parsing: ParsingSpec | undefined): Omit<ParsingSpec, 'template'> | null {
  if (!parsing) return null;
  const view: Omit<ParsingSpec, 'template'> & { template?: string } = { ...parsing };
  delete view.template;
  return view;
}
