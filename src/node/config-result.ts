/**
 * What a job's request asks of the driver beyond the commands (driver arguments, config options), and how a config
 * push's account becomes the job's result: retval stays the screen transcript, `lines` says what became of each line,
 * `diff` carries a dry run's diff.
 */
import { CommandOptions, ConfigOptions, ConfigOutcome, DeviceError, RunOptions } from '../devices/drivers/device-driver';
import { JobRequest, JobResult } from '../jobs/job.model';

/** The wait for each command: read_timeout (or the default), scaled by delay_factor as netmiko scales its waits. */
export function readTimeoutMs(request: JobRequest, defaultSec: number): number {
  const args = request.driver_args ?? {};
  return Math.round((args.read_timeout ?? defaultSec) * (args.delay_factor ?? 1) * 1000);
}

export function runOptions(request: JobRequest, base: CommandOptions): RunOptions {
  const args = request.driver_args ?? {};
  return { ...base, expectString: args.expect_string, stripPrompt: args.strip_prompt, stripCommand: args.strip_command, cmdVerify: args.cmd_verify };
}

export function configOptions(request: JobRequest, base: CommandOptions): ConfigOptions {
  const options = request.config_options ?? {};
  return { ...base, save: options.save, stopOnError: options.stop_on_error, dryRun: options.dry_run };
}

/** A push that went through: success, or (stop_on_error false) failed when any line was rejected. */
export function configJobResult(outcome: ConfigOutcome): JobResult {
  const result: JobResult = { type: 'success', retval: outcome.transcript, error: null, lines: outcome.lines };
  if (outcome.diff !== undefined) result.diff = outcome.diff;
  if (outcome.rejected > 0) {
    const first = outcome.lines.find((l) => l.status === 'rejected')!;
    result.type = 'failed';
    result.error = {
      type: 'CommandRejectedError',
      message: `${outcome.rejected} of ${outcome.lines.length} config lines were rejected (options.stop_on_error false: the others were sent), the first: "${first.line}"`,
    };
  }
  return result;
}

/** A failed job's result with the account of the push that failed, when it was one. */
export function withConfigAccount(result: JobResult, err: unknown): JobResult {
  if (!(err instanceof DeviceError) || !err.config) return result;
  return { ...result, lines: err.config.lines, ...(err.config.diff !== undefined ? { diff: err.config.diff } : {}) };
}

export function isConfigOutcome(value: unknown): value is ConfigOutcome {
  return typeof value === 'object' && value !== null && Array.isArray((value as ConfigOutcome).lines) && 'transcript' in value;
}
