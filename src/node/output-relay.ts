import { Logger } from '@nestjs/common';
import { JobOutputLog } from '../jobs/job-output-log';

/** Output is gathered this long before it goes to Redis: one append per flush, not one per SSH packet. */
const FLUSH_MS = 50;
/** ...or sooner once this much is waiting. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Carries one job's output from the device session to its output log while the job runs (`GET /job/{id}/events`
 * reads it), in order: pieces of the same command that wait together go as one entry. The job's END must come
 * after `close()`, so a follower never sees the end before the last output.
 */
export class OutputRelay {
  private readonly logger = new Logger(OutputRelay.name);
  private waiting: { command: string; data: string }[] = [];
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: JobOutputLog,
    private readonly jobId: string,
    private readonly ttlMs: number,
  ) {}

  /** The session's onOutput. */
  readonly push = (command: string, data: string): void => {
    if (data.length === 0) return;
    const last = this.waiting[this.waiting.length - 1];
    if (last && last.command === command) last.data += data;
    else this.waiting.push({ command, data });
    this.waitingBytes += data.length;
    if (this.waitingBytes >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  };

  /** Sends what waits and resolves once everything pushed so far is in Redis. */
  close(): Promise<void> {
    this.flush();
    return this.writing;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const pieces = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    // Appends chain so they reach Redis in order; a failed one is logged (the job's result still has all output).
    this.writing = this.writing
      .then(() => this.log.append(this.jobId, pieces, this.ttlMs))
      .catch((err: Error) => this.logger.warn({ job: this.jobId, err: err.message }, 'live output not stored'));
  }
}
