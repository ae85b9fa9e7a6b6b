/**
 * One config push over a logged-in CLI session, as the device type's profile describes it: enter config mode (or a
 * candidate for a dry run), send the lines one by one and note each one's fate, then commit/leave, or show the diff
 * and discard, then save. Whatever goes wrong on the way (a rejected line, a timeout, a stop), config mode is left
 * the profile's way before the error goes up, so the next job finds the device at its privileged prompt.
 */
import { Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { CommandOptions, ConfigLineResult, ConfigOptions, ConfigOutcome, DeviceError } from '../device-driver';
import { DeviceProfile, findRejection, SaveProfile } from './device-profiles';
import { lastLine } from './output-text';
import type { ExchangeShape } from './ssh-session';

/** Read timeout for leaving config mode after a failure, when the caller's signal is spent. */
const LEAVE_CONFIG_MS = 5000;
/** A save dialogue longer than this is a device asking in circles: the push stops answering. */
const MAX_SAVE_ANSWERS = 6;

/** What a push needs of its session. */
export interface PushChannel {
  profile: DeviceProfile;
  label: string;
  promptRe: RegExp;
  redact: (text: string) => string;
  /** the prompt the device showed last */
  prompt: () => string;
  alive: () => boolean;
  exchange: (command: string, opts: CommandOptions, shape?: ExchangeShape) => Promise<string>;
  logger: Logger;
}

export class ConfigPush {
  private readonly transcript: string[] = [];
  private outcome!: ConfigOutcome;

  constructor(
    private readonly ch: PushChannel,
    private readonly opts: ConfigOptions,
  ) {}

  async run(lines: string[]): Promise<ConfigOutcome> {
    const { profile } = this.ch;
    const mode = profile.config;
    if (!mode) throw new DeviceError('CommandRejectedError', profile.configUnsupported ?? 'config mode is not supported');
    const candidate = this.opts.dryRun ? profile.candidate : undefined;
    if (this.opts.dryRun && !candidate) throw new DeviceError('CommandRejectedError', `${profile.type} has no candidate configuration for a dry run`);
    this.outcome = { transcript: '', lines: lines.map((line) => ({ line, status: 'skipped', output: '' })), rejected: 0 };
    const enter = candidate ? candidate.enter.replace('{session}', `netpulse_${randomBytes(4).toString('hex')}`) : mode.enter;
    try {
      if (enter) this.check(await this.step(enter), 'Entering config mode with', enter);
      for (const [i, line] of lines.entries()) await this.line(this.outcome.lines[i], line);
      if (candidate) {
        this.outcome.diff = this.check(await this.step(candidate.diff), 'The diff command', candidate.diff);
        await this.whileInConfig(candidate.discard, true);
      } else await this.whileInConfig(mode.exit, true);
      if (this.opts.save && profile.save) this.outcome.save = await this.save(profile.save);
    } catch (err) {
      await this.leave(candidate ? candidate.discard : mode.abort);
      throw this.withOutcome(err);
    }
    this.outcome.transcript = this.transcript.join('\n');
    return this.outcome;
  }

  /** One config line: applied, or rejected (then, with stop_on_error, the push stops: the rest stay skipped). */
  private async line(result: ConfigLineResult, line: string): Promise<void> {
    let output: string;
    try {
      output = await this.step(line);
    } catch (err) {
      // stopped or timed out on this line: not applied as far as anyone can tell
      result.status = 'rejected';
      result.output = err instanceof DeviceError ? (err.partialOutput ?? '') : '';
      throw err;
    }
    result.output = output;
    const rejection = findRejection(this.ch.profile, output);
    result.status = rejection ? 'rejected' : 'applied';
    if (!rejection) return;
    this.outcome.rejected++;
    if (this.opts.stopOnError !== false) throw this.rejected('Config line', line, rejection, output);
  }

  /** Sends each command while the prompt is still a config prompt (XR: commit, then end; FortiOS: as many ends as blocks). */
  private async whileInConfig(commands: string[], check: boolean): Promise<void> {
    for (const command of commands) {
      if (!this.ch.profile.config!.prompt.test(this.ch.prompt())) return;
      const output = await this.step(command);
      if (check) this.check(output, 'Leaving config mode with', command);
    }
  }

  /** After a failure inside config mode: out of it, discarding the change where the vendor can. Never throws. */
  private async leave(commands: string[]): Promise<void> {
    const config = this.ch.profile.config!;
    for (const command of commands) {
      if (!this.ch.alive() || !config.prompt.test(this.ch.prompt())) return;
      try {
        await this.ch.exchange(command, { readTimeoutMs: LEAVE_CONFIG_MS });
      } catch {
        this.ch.logger.debug(`${this.ch.label}: could not leave config mode with "${command}"`);
      }
    }
  }

  /** The save command, answering its questions until the prompt is back. */
  private async save(save: SaveProfile): Promise<string> {
    const question = (raw: string) => save.dialogue.find((d) => d.question.test(lastLine(raw)));
    const until = (raw: string) => this.ch.promptRe.test(lastLine(raw)) || question(raw) !== undefined;
    const answers: string[] = [];
    let output = await this.step(save.command, { until });
    answers.push(output);
    for (let n = 0; n < MAX_SAVE_ANSWERS; n++) {
      const asked = question(output);
      if (!asked) break;
      output = await this.step(asked.answer, { until });
      answers.push(output);
    }
    const text = answers.join('\n');
    if (question(output)) throw this.rejected('Saving with', save.command, 'the device kept asking questions', text);
    return this.check(text, 'Saving with', save.command);
  }

  /** Sends one config-mode command; the transcript reads like the device's screen. */
  private async step(command: string, shape?: ExchangeShape): Promise<string> {
    const promptBefore = this.ch.prompt();
    const output = this.withoutBanner(await this.ch.exchange(command, this.opts, shape));
    const step = output ? `${promptBefore}${command}\n${output}` : `${promptBefore}${command}`;
    // Each step's piece of the transcript, \n-joined as the transcript is.
    this.opts.onOutput?.(command, this.transcript.length > 0 ? `\n${step}` : step);
    this.transcript.push(step);
    return output;
  }

  /** The answer without the config prompt's banner lines (and the blank line before them) at its end. */
  private withoutBanner(output: string): string {
    const banner = this.ch.profile.promptBanner;
    if (!banner) return output;
    const lines = output.split('\n');
    while (lines.length && (banner.test(lines[lines.length - 1].trim()) || lines[lines.length - 1].trim() === '')) lines.pop();
    return lines.join('\n');
  }

  private check(output: string, what: string, command: string): string {
    const rejection = findRejection(this.ch.profile, output);
    if (rejection) throw this.rejected(what, command, rejection, output);
    return output;
  }

  private rejected(what: string, command: string, rejection: string, output: string): DeviceError {
    const message = this.ch.redact(`${what} "${command}" was rejected by ${this.ch.label}: ${rejection}`);
    return new DeviceError('CommandRejectedError', message, this.ch.redact(output));
  }

  /** The error with the push's account attached (the transcript so far, each line's fate), secrets redacted. */
  private withOutcome(err: unknown): unknown {
    if (!(err instanceof DeviceError)) return err;
    const lines = this.outcome.lines.map((l) => ({ ...l, line: this.ch.redact(l.line), output: this.ch.redact(l.output) }));
    const outcome: ConfigOutcome = { ...this.outcome, lines, transcript: this.ch.redact(this.transcript.join('\n')) };
    return new DeviceError(err.type, err.message, err.partialOutput, outcome);
  }
}
