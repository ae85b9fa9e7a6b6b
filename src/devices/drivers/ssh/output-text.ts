/**
 * Turning what a terminal received into plain text: devices send \r\n, redraw lines with
 * bare \r, erase with backspaces and colour with ANSI codes. Prompt matching and the
 * outputs handed to clients both work on the normalised text.
 */

// CSI sequences (colours, cursor moves), OSC sequences (window titles), charset and keypad switches.
 
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;
 
const OTHER_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** How much of the buffer end is normalised to look for a prompt (a prompt is one short line). */
const TAIL_CHARS = 1024;

export function normalize(raw: string): string {
  const text = applyBackspaces(raw.replace(ANSI, ''))
    .replace(/\r+\n/g, '\n')
    .replace(/\n\r+/g, '\n');
  return text
    .split('\n')
    .map((line) => lastRedraw(line).replace(OTHER_CONTROL, ''))
    .join('\n');
}

/** A bare \r sends the cursor home: what follows overwrote the line (e.g. an erased --More--). */
function lastRedraw(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r').filter((p) => p.trim() !== '');
  return parts.length ? parts[parts.length - 1] : '';
}

function applyBackspaces(text: string): string {
  if (!text.includes('\b')) return text;
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') {
      if (out.length && out[out.length - 1] !== '\n') out.pop();
    } else out.push(ch);
  }
  return out.join('');
}

/** The line the cursor is on: where a prompt shows up when the device is ready. */
export function lastLine(raw: string): string {
  const tail = normalize(raw.slice(-TAIL_CHARS));
  return tail.slice(tail.lastIndexOf('\n') + 1);
}

/**
 * True when a command's answer is complete: the device's prompt ends the buffer, after the
 * echo of the command. Requiring the echo keeps a late prompt left over from an interrupted
 * command (Ctrl-C) from ending the next read before the device even saw it.
 */
export function commandDone(raw: string, command: string, prompt: RegExp): boolean {
  if (!prompt.test(lastLine(raw))) return false;
  const cmd = command.trim();
  if (!cmd) return true;
  if (normalize(raw.slice(0, cmd.length + 2048)).includes(cmd)) return true;
  // No echo (some devices do not echo): accept once something other than noise arrived.
  const lines = normalize(raw).split('\n');
  lines.pop();
  return lines.some((l) => !isNoise(l, prompt));
}

function isNoise(line: string, prompt: RegExp): boolean {
  const t = line.trim();
  return t === '' || t === '^C' || prompt.test(t);
}

/** A pager waiting for a key (IOS/EOS/NX-OS, Huawei, Junos styles). */
const PAGER = /(?:-- ?More ?--|<--- More --->|---- More ----|---\(more(?: \d+%)?\)---)\s*$/i;

export function atPager(raw: string): boolean {
  return PAGER.test(lastLine(raw));
}

/** What extractOutput keeps that it would otherwise strip (netmiko's strip_command / strip_prompt false). */
export interface KeepParts {
  /** the line that echoes the command */
  echo?: boolean;
  /** the prompt line that ends the answer */
  prompt?: boolean;
}

/** The command's output: no echo line, no trailing prompt or blank lines, \n line ends (unless `keep` says otherwise). */
export function extractOutput(raw: string, command: string, prompt: RegExp, keep: KeepParts = {}): string {
  const lines = normalize(raw).split('\n');
  const promptLine = lines.length && prompt.test(lines[lines.length - 1]) ? lines.pop()! : undefined;
  const echo = echoIndex(lines, command);
  if (echo >= 0) lines.splice(0, keep.echo ? echo : echo + 1);
  else while (lines.length && isNoise(lines[0], prompt)) lines.shift();
  // trailing blank lines go; trailing spaces of a table row stay
  const body = lines.join('\n').replace(/(?:\n[ \t]*)+$/, '');
  if (!keep.prompt || promptLine === undefined) return body;
  return body ? `${body}\n${promptLine.trimEnd()}` : promptLine.trimEnd();
}

/** Where the command's echo is among the first lines of its answer (-1: none, e.g. a device that does not echo). */
export function echoIndex(lines: string[], command: string): number {
  const cmd = command.trim();
  return cmd ? lines.slice(0, 5).findIndex((l) => l.includes(cmd)) : -1;
}

/** How much of the answer's end an expect_string is searched in: a bounded regex cost whatever the output size. */
const EXPECT_WINDOW = 4096;

/**
 * netmiko's expect_string: the answer is complete when the pattern shows in what the device sent after the echo of
 * the command (searching the echo too would end on a pattern the command itself contains).
 */
export function expectSeen(raw: string, command: string, pattern: RegExp): boolean {
  const lines = normalize(raw).split('\n');
  const echo = echoIndex(lines, command);
  return pattern.test(lines.slice(echo + 1).join('\n').slice(-EXPECT_WINDOW));
}
