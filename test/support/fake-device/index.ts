/**
 * A fake Cisco IOS / Arista EOS / Linux device over real SSH, for driver tests:
 *
 *   const device = await startFakeDevice({ flavor: 'cisco_ios', slowCommandMs: 600 });
 *   const session = await new SshDriver().connect(argsFor(device));
 *   ...; expect(device.record.commands).toEqual([...]);
 *   await device.stop();
 *
 * Test commands besides the canned show outputs: `show slow`, `show hang` (until Ctrl-C),
 * `show drop` (half the output, then the connection dies), `show big N`, `ping <target> [repeat N]` (a target
 * that never answers; IOS's stops only on its escape sequence Ctrl-^), and `do <cmd>` in config mode.
 */
export { closedPort, generateEd25519KeyPair, startFakeDevice, startSilentTcpServer } from './fake-device';
export type { FakeDevice, FakeDeviceOptions } from './fake-device';
export type { CliOptions, DeviceRecord } from './types';
export * as outputs from './outputs';
export type { Flavor } from './outputs';
export { argsFor, rejectionOf, until } from './driver-test-helpers';
