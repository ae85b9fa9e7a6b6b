import { Injectable } from '@nestjs/common';

/** How far back the API figures of GET /health look. */
const WINDOW_MS = 60_000;
/** At most this many recent requests are kept for the percentiles. */
const CAPACITY = 4096;

export interface ApiFigures {
  uptime_s: number;
  requests_total: number;
  window_s: number;
  requests_in_window: number;
  error_rate: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

/** Recent requests of this API process (a ring buffer): request count, error rate, p50/p99 for the health report. */
@Injectable()
export class RequestStats {
  private readonly startedAt = Date.now();
  private readonly at = new Float64Array(CAPACITY);
  private readonly ms = new Float64Array(CAPACITY);
  private readonly failed = new Uint8Array(CAPACITY);
  private next = 0;
  private total = 0;

  record(durationMs: number, status: number): void {
    const i = this.next;
    this.at[i] = Date.now();
    this.ms[i] = durationMs;
    this.failed[i] = status >= 500 ? 1 : 0;
    this.next = (i + 1) % CAPACITY;
    this.total++;
  }

  figures(): ApiFigures {
    const since = Date.now() - WINDOW_MS;
    const durations: number[] = [];
    let errors = 0;
    for (let i = 0; i < Math.min(this.total, CAPACITY); i++) {
      if (this.at[i] < since) continue;
      durations.push(this.ms[i]);
      errors += this.failed[i];
    }
    durations.sort((a, b) => a - b);
    const pct = (p: number) => (durations.length ? Math.round(durations[Math.min(durations.length - 1, Math.floor(p * durations.length))] * 100) / 100 : null);
    return {
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      requests_total: this.total,
      window_s: WINDOW_MS / 1000,
      requests_in_window: durations.length,
      error_rate: durations.length ? errors / durations.length : 0,
      p50_ms: pct(0.5),
      p99_ms: pct(0.99),
    };
  }
}
