/** Helpers for driver tests against a running fake device. */
import { ConnectionArgs, DeviceError, DeviceType } from '../../../src/devices/drivers/device-driver';
import type { FakeDevice } from './fake-device';

/** ConnectionArgs that reach the fake device, with its credentials. */
export function argsFor(device: FakeDevice, overrides: Partial<ConnectionArgs> = {}): ConnectionArgs {
  return {
    device_type: device.options.flavor as DeviceType,
    host: device.host,
    port: device.port,
    username: device.options.username,
    password: device.options.password,
    secret: device.options.secret,
    timeout: 5,
    ...overrides,
  };
}

/** The DeviceError a promise rejects with (fails the test if it resolves or throws something else). */
export async function rejectionOf(promise: Promise<unknown>): Promise<DeviceError> {
  const result = await promise.then(
    () => new Error('expected the call to fail'),
    (err: unknown) => err,
  );
  expect(result).toBeInstanceOf(DeviceError);
  return result as DeviceError;
}

/** Polls until `condition` holds (server-side bookkeeping lags the client by a tick or two). */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
