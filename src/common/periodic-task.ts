import { Logger } from '@nestjs/common';

/**
 * Runs a task every intervalMs in the background: never two runs at once, a failure is logged (the next
 * run tries again), and the timer does not keep the process alive.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly logger: Logger, private readonly what: string, private readonly task: () => Promise<unknown>) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One run now (skipped if one is under way). */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.task();
    } catch (err) {
      this.logger.warn(`${this.what} failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
