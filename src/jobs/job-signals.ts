/**
 * What a job's pub/sub channel carries: `s` a status change, `o` output appended, `e` the job ended. Listeners
 * read the job or its output log on a signal; the message itself holds nothing else (never output or secrets).
 * Published by the transition scripts (s, e) and the output log (o).
 */
export type JobSignal = 's' | 'o' | 'e';

export function jobEventChannel(prefix: string, jobId: string): string {
  return `${prefix}:jobev:${jobId}`;
}
