/**
 * The DeviceDriver for CLI devices over SSH: an interactive shell (pty) per session, driven
 * by the device type's profile (prompts, paging, enable, config mode, error patterns).
 */
import { Logger } from '@nestjs/common';
import { ConnectionArgs, ConnectOptions, DeviceDriver, DeviceError, DeviceSession } from '../device-driver';
import { getProfile } from './device-profiles';
import { login } from './login';
import { PromptReader } from './prompt-reader';
import { openClient, openShell } from './ssh-connect';
import { describeTarget, secretRedactor } from './ssh-errors';
import { SshSession } from './ssh-session';

export interface SshDriverOptions {
  /** refuse devices whose host key is not pinned in connection_args (SSH_UNKNOWN_HOSTS=reject) */
  rejectUnknownHosts?: boolean;
}

export class SshDriver implements DeviceDriver {
  private readonly logger = new Logger('SshDriver');

  constructor(private readonly options: SshDriverOptions = {}) {}

  async connect(args: ConnectionArgs, opts: ConnectOptions = {}): Promise<DeviceSession> {
    const profile = getProfile(args.device_type);
    const target = describeTarget(args);
    const client = await openClient(args, target, opts.signal, this.options.rejectUnknownHosts);
    // From here on the client is ours to close if the login does not complete.
    const onAbort = () => client.destroy();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const channel = await openShell(client, target);
      const reader = new PromptReader(channel);
      const result = await login(reader, profile, args, target, this.logger);
      if (opts.signal?.aborted) throw new DeviceError('StoppedError', `Connecting to ${target.label} was stopped`);
      this.logger.debug(`${target.label}: logged in, prompt "${result.prompt}"`);
      return new SshSession({
        client,
        reader,
        profile,
        login: result,
        label: target.label,
        redact: secretRedactor(args),
        logger: this.logger,
      });
    } catch (err) {
      client.destroy();
      if (opts.signal?.aborted) throw new DeviceError('StoppedError', `Connecting to ${target.label} was stopped`);
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
}
