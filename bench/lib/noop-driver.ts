import { DeviceDriver, DeviceSession } from '../../src/devices/drivers/device-driver';
import { JobRequest } from '../../src/jobs/job.model';
import { DeviceJobSpec } from '../../src/devices/job-submitter';

/** The driver name the throughput and latency benchmarks register on their worker node. */
export const NOOP_DRIVER = 'bench-noop';

/** A session whose commands answer at once: the pipeline (API, BullMQ, worker, job store) without SSH. */
const SESSION: DeviceSession = {
  run: async () => 'ok',
  configure: async () => ({ transcript: 'ok', lines: [], rejected: 0 }),
  alive: true,
  info: { prompt: 'bench#', hostname: 'bench' },
  close: async () => undefined,
};

export const noopDriver: DeviceDriver = {
  connect: async () => SESSION,
};

/** The job the issue specifies: one `show version` on a cisco_ios host, FIFO, no secrets. */
export function noopSpec(host = '10.9.0.1', strategy: JobRequest['queue_strategy'] = 'fifo'): DeviceJobSpec {
  return {
    request: {
      kind: 'execute', driver: NOOP_DRIVER, device_type: 'cisco_ios', host, port: 22, username: 'u',
      command: ['show version'], single_command: true, queue_strategy: strategy, timeout: 30,
    },
    secrets: {},
  };
}
