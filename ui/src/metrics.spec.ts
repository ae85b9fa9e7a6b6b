import { jobFigures, parsePrometheus, seriesOf } from './metrics';

const exposition = (ended: number, waitSum: number, waitCount: number) => `# HELP netpulse_jobs_finished_total Jobs finished
# TYPE netpulse_jobs_finished_total counter
netpulse_jobs_finished_total{queue_type="fifo"} ${ended}
netpulse_jobs_finished_total{queue_type="pinned"} 1
netpulse_jobs_failed_total{queue_type="fifo"} 2
netpulse_jobs_submitted_total{queue_type="fifo"} 40
netpulse_queue_jobs{queue="FifoQ",state="queued"} 3
netpulse_queue_jobs{queue="pinned_10.0.0.1",state="queued"} 4
netpulse_queue_jobs{queue="FifoQ",state="started"} 9
netpulse_job_queue_wait_seconds_bucket{le="0.005"} 0
netpulse_job_queue_wait_seconds_bucket{le="+Inf"} ${waitCount}
netpulse_job_queue_wait_seconds_sum ${waitSum}
netpulse_job_queue_wait_seconds_count ${waitCount}
netpulse_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/job",status="200"} 5
`;

describe('dashboard metrics', () => {
  it('parses Prometheus text: labels with escapes, +Inf, comments skipped', () => {
    const samples = parsePrometheus('# HELP x y\nx{a="q\\"uote",b="c"} 1.5\ny +Inf\nz 3 1700000000000\n');
    expect(samples).toEqual([
      { name: 'x', labels: { a: 'q"uote', b: 'c' }, value: 1.5 },
      { name: 'y', labels: {}, value: Infinity },
      { name: 'z', labels: {}, value: 3 },
    ]);
  });

  it('sums the job counters over queue types and the queued depth over queues', () => {
    expect(jobFigures(parsePrometheus(exposition(10, 4, 8)), 1000)).toEqual({ at: 1000, submitted: 40, ended: 13, waitSum: 4, waitCount: 8, queued: 7 });
  });

  it('turns samples into jobs ended per minute and the mean wait of the jobs started in each interval', () => {
    const history = [
      jobFigures(parsePrometheus(exposition(10, 4, 8)), 0),
      jobFigures(parsePrometheus(exposition(15, 10, 11)), 30000), // 5 ended in 30 s, 3 started waiting 6 s in all
      jobFigures(parsePrometheus(exposition(15, 10, 11)), 60000), // nothing
      jobFigures(parsePrometheus(exposition(0, 0, 0)), 90000), // counters reset (Redis flushed): no point
    ];
    const s = seriesOf(history);
    expect(s.throughput.map((p) => p.value)).toEqual([10, 0, null]);
    expect(s.wait.map((p) => p.value)).toEqual([2, null, null]);
    expect(s.queued.map((p) => p.value)).toEqual([7, 7, 7, 7]);
  });
});
