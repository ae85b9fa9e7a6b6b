import { normalize } from './output-text';

/** How many first lines may hold the command's echo (as extractOutput looks for it). */
const ECHO_WINDOW = 5;
const BLANK = /^[ \t]*$/;

/**
 * Hands a command's output to a listener while it arrives, in pieces whose concatenation is exactly what
 * extractOutput returns at the end: only complete lines are sent (a line the device is still writing, redrawing
 * or that turns out to be the prompt is not), the echo is left out the same way, and blank lines are held back
 * until a non-blank one follows (trailing blank lines are not part of the output). Normalising is line-local,
 * so each raw chunk is normalised once.
 */
export class OutputStreamer {
  private scanned = 0;
  private readonly lines: string[] = [];
  /** index in `lines` of the first output line, once known */
  private start: number | undefined;
  /** output lines already sent */
  private sentLines = 0;
  private sentText = '';

  constructor(
    private readonly command: string,
    private readonly isPrompt: (line: string) => boolean,
    private readonly emit: (chunk: string) => void,
    /** the echo line is part of the output (strip_command false) */
    private readonly keepEcho = false,
  ) {}

  /** `raw` is everything received for the command so far (the reader's buffer). */
  update(raw: string): void {
    const end = raw.lastIndexOf('\n');
    if (end < this.scanned) return;
    const segment = raw.slice(this.scanned, end + 1);
    this.scanned = end + 1;
    const complete = normalize(segment).split('\n');
    complete.pop();
    this.lines.push(...complete);
    this.start ??= this.findStart();
    if (this.start !== undefined) this.sendUpTo(this.lastNonBlank());
  }

  /** The command ended with `output` (extractOutput's answer): sends what was not sent yet. */
  finish(output: string): void {
    if (output.startsWith(this.sentText) && output.length > this.sentText.length) this.send(output.slice(this.sentText.length));
  }

  private findStart(): number | undefined {
    const cmd = this.command.trim();
    const echo = cmd ? this.lines.slice(0, ECHO_WINDOW).findIndex((l) => l.includes(cmd)) : -1;
    if (echo >= 0) return this.keepEcho ? echo : echo + 1;
    if (this.lines.length < ECHO_WINDOW) return undefined;
    // No echo (a device that does not echo): leading noise goes, as extractOutput does.
    let first = 0;
    while (first < this.lines.length && this.isNoise(this.lines[first])) first++;
    return first < this.lines.length ? first : undefined;
  }

  private isNoise(line: string): boolean {
    const t = line.trim();
    return t === '' || t === '^C' || this.isPrompt(t);
  }

  private lastNonBlank(): number {
    let last = this.lines.length - 1;
    while (last >= this.start! && BLANK.test(this.lines[last])) last--;
    return last;
  }

  private sendUpTo(last: number): void {
    const from = this.start! + this.sentLines;
    if (last < from) return;
    const text = this.lines.slice(from, last + 1).join('\n');
    this.send(this.sentLines === 0 ? text : `\n${text}`);
    this.sentLines = last + 1 - this.start!;
  }

  private send(chunk: string): void {
    this.sentText += chunk;
    this.emit(chunk);
  }
}
