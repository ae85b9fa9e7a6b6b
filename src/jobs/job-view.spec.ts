import fc from 'fast-check';
import { TimeFormatter } from '../common/time-format';
import { JOB_STATUSES, JobRecord, JobResult } from './job.model';
import { toJobJson, toJobView } from './job-view';

const time = new TimeFormatter('Asia/Shanghai');
const text = fc.string({ unit: 'binary', maxLength: 40 });
// Output that tries to look like the key toJobJson searches for.
const sneaky = fc.constantFrom(',"result":null,', '\\",\\"result\\":null,', '"', '\\', '\u2028');
const output = fc.oneof(text, sneaky, fc.dictionary(text, fc.oneof(text, sneaky), { maxKeys: 3 }));

const result: fc.Arbitrary<JobResult | null> = fc.option(fc.record({
  type: fc.constantFrom('success', 'failed', 'stopped', 'timeout'),
  retval: fc.option(output),
  error: fc.option(fc.record({ type: text, message: fc.oneof(text, sneaky) })),
}) as fc.Arbitrary<JobResult>);

const ms = fc.option(fc.integer({ min: 0, max: 4_000_000_000_000 }));
const record = fc.record({
  id: text, status: fc.constantFrom(...JOB_STATUSES), queue: text, host: fc.oneof(text, sneaky),
  node: fc.option(text), worker: fc.option(text), created_at: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  enqueued_at: ms, started_at: ms, ended_at: ms,
  request: fc.option(fc.record({
    kind: fc.constant('execute' as const), driver: text, device_type: text, host: text, port: fc.nat(),
    username: text, command: fc.array(fc.oneof(text, sneaky)), queue_strategy: fc.constant('fifo' as const), timeout: fc.nat(),
  })),
  result,
});

describe('toJobJson', () => {
  it('writes exactly what JSON.stringify(toJobView) writes, with the stored result text spliced in', () => {
    fc.assert(fc.property(record, (r) => {
      const stored: JobRecord = { ...r, resultJson: r.result === null ? null : JSON.stringify(r.result) };
      expect(toJobJson(stored, time)).toBe(JSON.stringify(toJobView(r, time)));
    }), { numRuns: 2000 });
  });

  it('stringifies the parsed result of a record built without its text', () => {
    fc.assert(fc.property(record, (r) => {
      expect(toJobJson(r, time)).toBe(JSON.stringify(toJobView(r, time)));
    }), { numRuns: 200 });
  });
});
