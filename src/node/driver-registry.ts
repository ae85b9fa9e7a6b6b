import { Injectable } from '@nestjs/common';
import { DeviceDriver } from '../devices/drivers/device-driver';
import { AppConfig } from '../config/app-config';
import { SshDriver } from '../devices/drivers/ssh/ssh.driver';

/**
 * Drivers by the name a request gives. netmiko, paramiko and ssh are one engine (ssh2): the names
 * exist so clients of the Python original work unchanged. Benchmarks register a trivial driver.
 */
@Injectable()
export class DriverRegistry {
  private readonly drivers = new Map<string, DeviceDriver>();

  constructor(config: AppConfig) {
    const ssh = new SshDriver({ rejectUnknownHosts: config.sshUnknownHosts === 'reject' });
    for (const name of ['netmiko', 'paramiko', 'ssh']) this.drivers.set(name, ssh);
  }

  register(name: string, driver: DeviceDriver): void {
    this.drivers.set(name, driver);
  }

  get(name: string): DeviceDriver {
    const driver = this.drivers.get(name);
    if (!driver) throw new Error(`no driver named ${name}`);
    return driver;
  }
}
