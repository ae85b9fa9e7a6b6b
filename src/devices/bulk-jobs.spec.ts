import { TimeFormatter } from '../common/time-format';
import { JobRecord } from '../jobs/job.model';
import { JobStore } from '../jobs/job-store';
import { JobsService } from '../jobs/jobs.service';
import { TemplatesService } from '../templates/templates.service';
import { BulkJobs } from './bulk-jobs';
import { BulkExecuteDto } from './dto/bulk.dto';
import { DeviceJobSpec, JobSubmitter } from './job-submitter';

/** A submitter that stores every job but those whose host is in `slow`: Redis did not answer in time for them. */
function bulkJobs(slow: Set<string>): BulkJobs {
  const submitter = {
    spec: (dto: { connection_args: { host: string } }) => ({ request: { host: dto.connection_args.host }, secrets: {} }),
    submit: async (spec: DeviceJobSpec): Promise<JobRecord> => {
      if (slow.has(spec.request.host)) throw new Error('Command timed out');
      return {
        id: `job-${spec.request.host}`, status: 'queued', queue: 'FifoQ', host: spec.request.host, node: null, worker: null,
        created_at: 0, enqueued_at: 0, started_at: null, ended_at: null, request: spec.request, result: null,
      };
    },
  } as unknown as JobSubmitter;
  const store = { newId: () => '0000000000000000abcd' } as unknown as JobStore;
  const jobs = { time: new TimeFormatter('UTC') } as unknown as JobsService;
  return new BulkJobs(submitter, store, jobs, {} as TemplatesService);
}

const bulk = (hosts: string[]) => ({
  driver: 'netmiko', command: 'show version', connection_args: { device_type: 'cisco_ios', username: 'u', password: 'p' },
  devices: hosts.map((host) => ({ host })),
}) as unknown as BulkExecuteDto;

describe('BulkJobs when Redis does not answer in time', () => {
  it('reports the devices whose job was not stored in failed, keeps the others and their batch', async () => {
    const out = await bulkJobs(new Set(['10.0.0.2'])).submit(bulk(['10.0.0.1', '10.0.0.2', '10.0.0.3']));
    expect(out.batch_id).toBe('0000000000000000abcd');
    expect(out.succeeded.map((j) => j.host)).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(out.failed).toEqual([{ host: '10.0.0.2', error: 'Redis is unavailable; try again shortly: this job was not stored' }]);
  });

  it('fails the whole request (the 503 of Redis unavailable) when no job was stored', async () => {
    await expect(bulkJobs(new Set(['10.0.0.1', '10.0.0.2'])).submit(bulk(['10.0.0.1', '10.0.0.2']))).rejects.toThrow('Command timed out');
  });
});
