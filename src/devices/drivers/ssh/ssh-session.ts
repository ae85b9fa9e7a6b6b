/**
 * One logged-in CLI session. Calls are serialised (a CLI runs one command at a time); a
 * command that times out, is stopped or floods is interrupted the device type's way (Ctrl-C,
 * IOS's escape sequence first) and the session re-synchronised to its prompt so it can serve the next command. When that fails the
 * session closes itself rather than hand a confused CLI to the next job.
 */
import { Logger } from '@nestjs/common';
import { Client } from 'ssh2';
import { CommandOptions, ConfigOptions, ConfigOutcome, DeviceError, DeviceSession, RunOptions } from '../device-driver';
import { DeviceProfile, findRejection } from './device-profiles';
import { LoginResult } from './login';
import { OutputStreamer } from './output-streamer';
import { atPager, commandDone, expectSeen, extractOutput, KeepParts, lastLine } from './output-text';
import { ConfigPush } from './config-push';
import { PromptReader, ReadInterrupted } from './prompt-reader';

/** How long the device gets to return to its prompt after each interrupt key (then after a newline). */
const RESYNC_MS = 2000;
/** Quiet time after a resync, so late echoes of the interruption are not read as the next answer. */
const SETTLE_MS = 100;

/** How one exchange reads: when the answer is complete, and what of it is kept. */
export interface ExchangeShape {
  /** replaces "the prompt is back after the echo" */
  until?: (raw: string) => boolean;
  keep?: KeepParts;
}

export interface SessionContext {
  client: Client;
  reader: PromptReader;
  profile: DeviceProfile;
  login: LoginResult;
  /** "admin@10.0.0.1:22" for messages */
  label: string;
  redact: (text: string) => string;
  logger: Logger;
}

export class SshSession implements DeviceSession {
  readonly info: { prompt: string; hostname: string };
  private queue: Promise<unknown> = Promise.resolve();
  private dead = false;
  private clientClosed = false;
  private closing?: Promise<void>;
  /** the prompt the device showed last: tells whether we are still in config mode */
  private currentPrompt: string;

  constructor(private readonly ctx: SessionContext) {
    this.info = { prompt: ctx.login.prompt, hostname: ctx.login.hostname };
    this.currentPrompt = ctx.login.prompt;
    ctx.client.on('close', () => {
      this.clientClosed = true;
      this.dead = true;
    });
    ctx.client.on('error', (err) => {
      ctx.logger.debug(`${ctx.label}: connection error (${(err as { code?: string }).code ?? 'ssh'})`);
      this.dead = true;
    });
  }

  get alive(): boolean {
    return !this.dead && !this.ctx.reader.isClosed;
  }

  run(command: string, opts: RunOptions): Promise<string> {
    return this.serialise(async () => {
      const onOutput = opts.onOutput;
      const output = await this.exchange(command, opts, onOutput && ((chunk) => onOutput(command, chunk)), this.shapeOf(command, opts));
      this.rejectOnError(output, `Command "${command}"`);
      return output;
    });
  }

  configure(lines: string[], opts: ConfigOptions): Promise<ConfigOutcome> {
    return this.serialise(() =>
      new ConfigPush(
        {
          profile: this.ctx.profile,
          label: this.ctx.label,
          redact: this.ctx.redact,
          prompt: () => this.currentPrompt,
          alive: () => this.alive,
          exchange: (command, o, shape) => this.exchange(command, o, undefined, shape),
          promptRe: this.ctx.login.promptRe,
          logger: this.ctx.logger,
        },
        opts,
      ).run(lines),
    );
  }

  /** netmiko's send_command arguments as a way of reading: expect_string, cmd_verify, strip_prompt, strip_command. */
  private shapeOf(command: string, opts: RunOptions): ExchangeShape {
    const promptRe = this.ctx.login.promptRe;
    const keep = { echo: opts.stripCommand === false, prompt: opts.stripPrompt === false };
    if (opts.expectString !== undefined) {
      const pattern = new RegExp(opts.expectString);
      return { keep, until: (raw) => expectSeen(raw, command, pattern) };
    }
    // without the echo check, the first prompt ends the answer (for devices that do not echo what they are sent)
    if (opts.cmdVerify === false) return { keep, until: (raw) => promptRe.test(lastLine(raw)) };
    return { keep };
  }

  close(): Promise<void> {
    this.dead = true;
    this.closing ??= new Promise<void>((resolve) => {
      if (this.clientClosed) return resolve();
      const timer = setTimeout(resolve, 1000);
      this.ctx.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ctx.client.end();
    });
    return this.closing;
  }

  private serialise<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private rejectOnError(output: string, what: string): void {
    const rejection = findRejection(this.ctx.profile, output);
    if (!rejection) return;
    const message = this.ctx.redact(`${what} was rejected by ${this.ctx.label}: ${rejection}`);
    throw new DeviceError('CommandRejectedError', message, this.ctx.redact(output));
  }

  /**
   * Sends one command and reads up to the prompt; every failure is a mapped DeviceError. With `stream`, the
   * output is also handed over as it arrives (see OutputStreamer).
   */
  private async exchange(command: string, opts: CommandOptions, stream?: (chunk: string) => void, shape: ExchangeShape = {}): Promise<string> {
    const { reader, login } = this.ctx;
    if (!this.alive) {
      throw new DeviceError('ConnectionDroppedError', `The connection to ${this.ctx.label} is closed`);
    }
    if (/[\r\n]/.test(command)) {
      throw new DeviceError('CommandRejectedError', 'A command must be a single line (use configure() for several lines)');
    }
    if (opts.signal?.aborted) {
      throw new DeviceError('StoppedError', this.ctx.redact(`"${command}" was stopped before it was sent`), '');
    }
    let pagerAnsweredAt = -1;
    const streamer = stream && new OutputStreamer(command, (line) => login.promptRe.test(line), stream, shape.keep?.echo);
    // Paging is switched off at login; should the device page anyway, press space for it.
    const done = (raw: string) => {
      streamer?.update(raw);
      if (raw.length !== pagerAnsweredAt && atPager(raw)) {
        pagerAnsweredAt = raw.length;
        reader.send(' ');
        return false;
      }
      return shape.until ? shape.until(raw) : commandDone(raw, command, login.promptRe);
    };
    try {
      reader.discard();
      reader.send(`${command}\n`);
      const raw = await reader.read({
        done,
        timeoutMs: opts.readTimeoutMs,
        signal: opts.signal,
        maxBytes: opts.maxOutputBytes,
      });
      this.currentPrompt = lastLine(raw).trim();
      const output = extractOutput(raw, command, login.promptRe, shape.keep);
      streamer?.finish(output);
      return output;
    } catch (err) {
      if (!(err instanceof ReadInterrupted)) throw err;
      throw await this.interrupted(err, command, opts);
    }
  }

  private async interrupted(err: ReadInterrupted, command: string, opts: CommandOptions): Promise<DeviceError> {
    const partial = this.ctx.redact(extractOutput(err.partial, command, this.ctx.login.promptRe));
    const what = this.ctx.redact(`"${command}"`);
    if (err.reason === 'closed') {
      this.dead = true;
      return new DeviceError('ConnectionDroppedError', `Connection to ${this.ctx.label} dropped while running ${what}`, partial);
    }
    const resynced = await this.resync();
    const suffix = resynced ? '' : ' (session closed: the device did not return to its prompt)';
    switch (err.reason) {
      case 'timeout':
        return new DeviceError(
          'CommandTimeoutError',
          `${what} did not finish within ${opts.readTimeoutMs} ms on ${this.ctx.label}${suffix}`,
          partial,
        );
      case 'too-large':
        return new DeviceError(
          'OutputTooLargeError',
          `Output of ${what} exceeded ${opts.maxOutputBytes} bytes on ${this.ctx.label}${suffix}`,
          partial,
        );
      default:
        return new DeviceError('StoppedError', `${what} was stopped on ${this.ctx.label}${suffix}`, partial);
    }
  }

  /**
   * The profile's interrupt keys in turn (Ctrl-C; IOS's escape sequence first), then a newline,
   * until the prompt is back; closes the session if none brought it.
   */
  private async resync(): Promise<boolean> {
    const { reader, login, profile } = this.ctx;
    for (const key of [...profile.interrupt, '\n']) {
      try {
        reader.send(key);
        const raw = await reader.read({ done: (r) => login.promptRe.test(lastLine(r)), timeoutMs: RESYNC_MS, tailOnly: true });
        this.currentPrompt = lastLine(raw).trim();
        await reader.settle(SETTLE_MS, RESYNC_MS);
        return true;
      } catch (err) {
        if (err instanceof ReadInterrupted && err.reason === 'closed') break;
      }
    }
    this.ctx.logger.debug(`${this.ctx.label}: no prompt after interrupting, closing the session`);
    await this.close();
    return false;
  }
}
