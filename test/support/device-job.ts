import type { FakeDevice } from './fake-device/fake-device';

/** A POST /device/execute body that reaches a fake device. */
export function executeBody(device: FakeDevice, extra: Record<string, unknown> = {}, args: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    driver: 'netmiko',
    connection_args: {
      device_type: device.options.flavor,
      host: device.host,
      port: device.port,
      username: device.options.username,
      password: device.options.password,
      secret: device.options.secret,
      timeout: 5,
      ...args,
    },
    command: 'show version',
    ...extra,
  };
}
