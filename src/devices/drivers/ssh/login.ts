/**
 * The CLI side of logging in, once the shell is open: find the prompt (and with it the
 * hostname), switch paging off, and reach the privileged prompt.
 */
import { Logger } from '@nestjs/common';
import { ConnectionArgs, DeviceError } from '../device-driver';
import { anchoredPrompt, DeviceProfile, findRejection } from './device-profiles';
import { commandDone, extractOutput, lastLine } from './output-text';
import { PromptReader, ReadInterrupted } from './prompt-reader';
import { ConnectTarget } from './ssh-errors';

export interface LoginResult {
  hostname: string;
  /** the privileged prompt, e.g. "Router#" */
  prompt: string;
  /** recognises the device's prompt in every mode */
  promptRe: RegExp;
}

/** Wait this long for an unprompted prompt before nudging the device with a newline. */
const NUDGE_AFTER_MS = 2000;

export async function login(
  reader: PromptReader,
  profile: DeviceProfile,
  args: ConnectionArgs,
  target: ConnectTarget,
  logger: Logger,
): Promise<LoginResult> {
  try {
    const first = await waitForFirstPrompt(reader, profile, target);
    const hostname = first.match(profile.prompt)?.groups?.host ?? first.trim();
    const promptRe = anchoredPrompt(profile, hostname);
    for (const command of [profile.pagingOff, ...profile.setup]) {
      if (command) await setupCommand(reader, profile, promptRe, command, target, logger);
    }
    let prompt = first.trim();
    if (profile.enable && profile.userPrompt?.test(prompt)) {
      prompt = await enable(reader, profile, promptRe, args, target);
    }
    return { hostname, prompt, promptRe };
  } catch (err) {
    throw loginError(err, target);
  }
}

async function waitForFirstPrompt(reader: PromptReader, profile: DeviceProfile, target: ConnectTarget): Promise<string> {
  const done = (raw: string) => profile.prompt.test(lastLine(raw));
  const nudgeAfter = Math.min(NUDGE_AFTER_MS, target.timeoutMs / 2);
  try {
    return lastLine(await reader.read({ done, timeoutMs: nudgeAfter }));
  } catch (err) {
    if (!(err instanceof ReadInterrupted) || err.reason !== 'timeout') throw err;
  }
  // Some devices print their prompt only after a keystroke.
  reader.send('\n');
  return lastLine(await reader.read({ done, timeoutMs: target.timeoutMs - nudgeAfter }));
}

async function setupCommand(
  reader: PromptReader,
  profile: DeviceProfile,
  promptRe: RegExp,
  command: string,
  target: ConnectTarget,
  logger: Logger,
): Promise<void> {
  reader.discard();
  reader.send(`${command}\n`);
  // Sent right after the device showed its prompt, so no stale prompt can be waiting: the first prompt after a line
  // break is the answer, echoed or not (a device that does not echo still logs in).
  const done = (r: string) => commandDone(r, command, promptRe) || (r.includes('\n') && promptRe.test(lastLine(r)));
  const raw = await reader.read({ done, timeoutMs: target.timeoutMs });
  const rejected = findRejection(profile, extractOutput(raw, command, promptRe));
  // A device without this setting still works, just with wrapping or paging risks.
  if (rejected) logger.debug(`${target.label}: "${command}" rejected: ${rejected}`);
}

/** Sends the enable command and the secret; resolves with the privileged prompt. */
async function enable(
  reader: PromptReader,
  profile: DeviceProfile,
  promptRe: RegExp,
  args: ConnectionArgs,
  target: ConnectTarget,
): Promise<string> {
  const enableProfile = profile.enable!;
  const done = (raw: string) => {
    const line = lastLine(raw);
    return promptRe.test(line) || enableProfile.passwordPrompt.test(line);
  };
  reader.discard();
  reader.send(`${enableProfile.command}\n`);
  let line = lastLine(await reader.read({ done, timeoutMs: target.timeoutMs }));
  // IOS asks up to three times; after a wrong secret, empty answers get back to the prompt.
  for (let attempt = 0; attempt < 4 && enableProfile.passwordPrompt.test(line); attempt++) {
    reader.send(attempt === 0 ? `${args.secret ?? args.password ?? ''}\n` : '\n');
    line = lastLine(await reader.read({ done, timeoutMs: target.timeoutMs }));
  }
  if (!promptRe.test(line) || profile.userPrompt?.test(line)) {
    const which = args.secret !== undefined ? 'enable secret' : 'password (used as enable secret)';
    throw new DeviceError('AuthenticationError', `Enable failed for ${target.label}: the device did not accept the ${which}`);
  }
  return line.trim();
}

function loginError(err: unknown, target: ConnectTarget): unknown {
  if (!(err instanceof ReadInterrupted)) return err;
  if (err.reason === 'closed') {
    return new DeviceError('ConnectionDroppedError', `Connection to ${target.label} was closed during login`);
  }
  return new DeviceError(
    'ConnectionTimeoutError',
    `Connected to ${target.label} but the device did not show the expected prompt within ${target.timeoutMs / 1000}s`,
  );
}
