/**
 * The request rules of safe config pushes and netmiko-style driver arguments that no single field can check: which
 * options go with which kind of job and device type. What passes is copied into the stored request.
 */
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { JobRequest } from '../jobs/job.model';
import { DeviceType } from './drivers/device-driver';
import { DRY_RUN_TYPES } from './drivers/ssh/device-profiles';
import { ConfigOptionsDto } from './dto/config-options.dto';
import { COMMAND_ONLY_DRIVER_ARGS, DriverArgsDto } from './dto/driver-args.dto';

const CONFIG_OPTIONS = ['save', 'stop_on_error', 'dry_run'] as const;

/** Throws a 400 naming the field when an option does not fit the job; else the stored forms of both. */
export function configRules(
  isConfig: boolean,
  deviceType: DeviceType,
  driverArgs: DriverArgsDto | undefined,
  options: ConfigOptionsDto | undefined,
): Pick<JobRequest, 'driver_args' | 'config_options'> {
  const stored: Pick<JobRequest, 'driver_args' | 'config_options'> = {};
  for (const name of CONFIG_OPTIONS) {
    if (!isConfig && options?.[name] !== undefined) fail(`options.${name}`, Messages.configOptionOnCommand(name));
  }
  if (isConfig) {
    for (const name of COMMAND_ONLY_DRIVER_ARGS) {
      if (driverArgs?.[name] !== undefined) fail(`driver_args.${name}`, Messages.driverArgOnConfig(name));
    }
  }
  if (options?.dry_run && !DRY_RUN_TYPES.includes(deviceType)) fail('options.dry_run', Messages.dryRunUnsupported(deviceType, DRY_RUN_TYPES));
  if (options?.dry_run && options.save) fail('options.save', Messages.dryRunWithSave);
  const config = Object.fromEntries(CONFIG_OPTIONS.filter((n) => options?.[n] !== undefined).map((n) => [n, options![n]]));
  if (Object.keys(config).length > 0) stored.config_options = config;
  const args = Object.fromEntries(Object.entries(driverArgs ?? {}).filter(([, v]) => v !== undefined));
  if (Object.keys(args).length > 0) stored.driver_args = args;
  return stored;
}

function fail(field: string, message: string): never {
  throw ApiError.badRequest(message, [{ field, error: message }]);
}
