import type Redis from 'ioredis';
import { HISTOGRAM_BOUNDS } from './histogram-bounds';
import { JobTally, queueType } from './job-tally';

/** What one flush sends, recorded from a fake pipeline (the real Redis side is in job-store.spec). */
function flushed(tally: JobTally): Promise<string[][]> {
  const calls: string[][] = [];
  const pipeline = {
    hincrby: (...a: unknown[]) => calls.push(['hincrby', ...a.map(String)]),
    hincrbyfloat: (...a: unknown[]) => calls.push(['hincrbyfloat', ...a.map(String)]),
    sadd: (...a: unknown[]) => calls.push(['sadd', ...a.map(String)]),
    exec: async () => calls.map(() => [null, 1]),
  };
  (tally as unknown as { redis: Redis }).redis = { pipeline: () => pipeline } as unknown as Redis;
  return tally.flush().then(() => calls);
}

describe('JobTally', () => {
  it('puts an observation in the first bucket whose bound is >= it, beyond the last in the +Inf bucket', async () => {
    const tally = new JobTally({} as Redis, 'P');
    for (const s of [0, HISTOGRAM_BOUNDS[0], HISTOGRAM_BOUNDS[0] + 1e-9, 3600, 3601, -5]) tally.observe('wait', s);
    const calls = await flushed(tally);
    const buckets = Object.fromEntries(calls.filter((c) => c[0] === 'hincrby').map((c) => [c[2], Number(c[3])]));
    // 0, the first bound and a negative (clock step) -> 1; just above it -> 2; 3600 -> the last; 3601 -> +Inf
    expect(buckets).toEqual({ 1: 3, 2: 1, [HISTOGRAM_BOUNDS.length]: 1, [HISTOGRAM_BOUNDS.length + 1]: 1 });
    expect(calls).toContainEqual(['hincrbyfloat', 'P:hist:wait', 'sum', String(HISTOGRAM_BOUNDS[0] * 2 + 1e-9 + 3600 + 3601)]);
  });

  it('sends counts summed per field, each new queue once, and nothing when there is nothing to add', async () => {
    const tally = new JobTally({} as Redis, 'P');
    tally.count('submitted', 'FifoQ');
    tally.count('submitted', 'FifoQ');
    tally.count('finished', 'pinned_10.0.0.1');
    expect(await flushed(tally)).toEqual([
      ['hincrby', 'P:stats', 'submitted:fifo', '2'],
      ['hincrby', 'P:stats', 'finished:pinned', '1'],
      ['sadd', 'P:queues', 'FifoQ', 'pinned_10.0.0.1'],
    ]);
    tally.count('failed', 'FifoQ');
    expect(await flushed(tally)).toEqual([['hincrby', 'P:stats', 'failed:fifo', '1']]);
    expect(await flushed(tally)).toEqual([]);
    expect([queueType('FifoQ'), queueType('pinned_FifoQ')]).toEqual(['fifo', 'pinned']);
  });
});
