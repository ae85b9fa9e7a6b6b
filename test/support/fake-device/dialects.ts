/** Which CLI emulator speaks each flavor of the fake device. */
import { CliEmulator } from './cli-emulator';
import { FortiCli } from './forti-cli';
import { JunosCli } from './junos-cli';
import { CliHooks, CliOptions } from './types';
import { VrpCli } from './vrp-cli';

export interface Cli {
  start(): void;
  input(data: string): void;
  close(): void;
  runExec(command: string): void;
}

export function createCli(opts: CliOptions, hooks: CliHooks, exec = false): Cli {
  switch (opts.flavor) {
    case 'juniper_junos': return new JunosCli(opts, hooks, exec);
    case 'huawei':
    case 'hp_comware': return new VrpCli(opts, hooks, exec);
    case 'fortinet': return new FortiCli(opts, hooks, exec);
    default: return new CliEmulator(opts, hooks, exec);
  }
}
