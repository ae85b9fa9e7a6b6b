/**
 * Fake SSH devices (test/support/fake-device) in a process of their own, so their SSH server work does not
 * share an event loop with the client being measured. Driven over IPC:
 *   parent -> {type:'start', hosts:[...]}  child -> {type:'started', devices:[{host, port}]}
 *   parent -> {type:'stats'}               child -> {type:'stats', open, opened, commands}
 *   parent -> {type:'stop'}                the child stops its devices and exits
 */
import { FakeDevice, startFakeDevice } from '../../test/support/fake-device/fake-device';

const devices: FakeDevice[] = [];
const send = (msg: unknown) => process.send?.(msg);

async function start(hosts: string[]): Promise<void> {
  for (let i = 0; i < hosts.length; i += 20) {
    devices.push(...(await Promise.all(hosts.slice(i, i + 20).map((host) => startFakeDevice({ host, flavor: 'cisco_ios' })))));
  }
  send({ type: 'started', devices: devices.map((d) => ({ host: d.host, port: d.port })) });
}

async function stop(): Promise<void> {
  await Promise.all(devices.map((d) => d.stop().catch(() => undefined)));
  process.exit(0);
}

process.on('message', (msg: { type: string; hosts?: string[] }) => {
  if (msg.type === 'start') start(msg.hosts ?? ['127.0.0.1']).catch((err: Error) => send({ type: 'error', message: err.stack ?? err.message }));
  else if (msg.type === 'stats') {
    send({
      type: 'stats',
      open: devices.reduce((n, d) => n + d.openConnections, 0),
      opened: devices.reduce((n, d) => n + d.connectionsOpened, 0),
      commands: devices.reduce((n, d) => n + d.record.commands.length, 0),
    });
    // Keep memory flat over thousands of commands.
    for (const d of devices) d.resetRecord();
  } else if (msg.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());
send({ type: 'ready' });
