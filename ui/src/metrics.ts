/**
 * The job figures of GET /metrics (Prometheus text), sampled in the browser: the cluster-wide counters and the
 * queue wait histogram (src/metrics/metrics.service.ts) give throughput and mean wait between two samples.
 * DOM-free, unit-tested in Node.
 */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]);
    out.push({ name: m[1], labels, value });
  }
  return out;
}

/** The figures the charts need, at one moment. */
export interface JobFigures {
  at: number;
  submitted: number;
  ended: number;
  waitSum: number;
  waitCount: number;
  queued: number;
}

export function jobFigures(samples: MetricSample[], at: number): JobFigures {
  const total = (name: string, where: (labels: Record<string, string>) => boolean = () => true) =>
    samples.filter((x) => x.name === name && where(x.labels)).reduce((n, x) => n + x.value, 0);
  return {
    at,
    submitted: total('netpulse_jobs_submitted_total'),
    ended: total('netpulse_jobs_finished_total') + total('netpulse_jobs_failed_total'),
    waitSum: total('netpulse_job_queue_wait_seconds_sum'),
    waitCount: total('netpulse_job_queue_wait_seconds_count'),
    queued: total('netpulse_queue_jobs', (l) => l.state === 'queued'),
  };
}

export interface Point {
  at: number;
  value: number | null;
}

export interface Series {
  /** jobs ended (finished or failed) per minute */
  throughput: Point[];
  /** mean queue wait, seconds, of the jobs that started in the interval (null: none started) */
  wait: Point[];
  /** jobs queued, all queues */
  queued: Point[];
}

/** Rates between consecutive samples; a counter that went down (Redis flushed) gives no point for that interval. */
export function seriesOf(history: JobFigures[]): Series {
  const series: Series = { throughput: [], wait: [], queued: history.map((f) => ({ at: f.at, value: f.queued })) };
  for (let i = 1; i < history.length; i++) {
    const a = history[i - 1];
    const b = history[i];
    const minutes = (b.at - a.at) / 60000;
    const ended = b.ended - a.ended;
    const started = b.waitCount - a.waitCount;
    series.throughput.push({ at: b.at, value: minutes > 0 && ended >= 0 ? ended / minutes : null });
    series.wait.push({ at: b.at, value: started > 0 && b.waitSum >= a.waitSum ? (b.waitSum - a.waitSum) / started : null });
  }
  return series;
}

/** Samples kept in the browser for the charts (ten minutes at one per five seconds). */
export class MetricsHistory {
  readonly samples: JobFigures[] = [];

  constructor(private readonly keep = 120) {}

  add(figures: JobFigures): void {
    this.samples.push(figures);
    if (this.samples.length > this.keep) this.samples.splice(0, this.samples.length - this.keep);
  }
}
