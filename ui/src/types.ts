/**
 * The API's shapes, taken from the server's own model (src/): one definition, so the dashboard built with this server
 * cannot drift from it. Type imports vanish from the bundle; the status list is a constant esbuild inlines.
 */
import { ENDED_STATUSES } from '../../src/jobs/job.model';

export type { JobError, JobResult, JobView as Job } from '../../src/jobs/job.model';
export type { WorkerView as Worker } from '../../src/workers/worker.model';
export { JOB_STATUSES } from '../../src/jobs/job.model';

/** Statuses after which a job no longer changes. */
export const ENDED: ReadonlySet<string> = new Set<string>(ENDED_STATUSES);
