import { JobRequest, RetrySpec } from './job.model';

/** The waits and runs of every retry a job may make. */
export function retryBudgetMs(request: JobRequest): number {
  const retry = request.retry;
  if (!retry) return 0;
  let total = 0;
  for (let n = 1; n < retry.attempts; n++) total += retryDelayMs(retry, n) + request.timeout * 1000;
  return total;
}

/** The wait after the attempt-th failed attempt (1-based). */
export function retryDelayMs(retry: RetrySpec, attempt: number): number {
  return retry.delay * 1000 * (retry.backoff === 'exponential' ? 2 ** (attempt - 1) : 1);
}
