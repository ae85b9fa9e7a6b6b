/**
 * The line discipline of the fake device's terminal: echo, line editing, Ctrl-C, the
 * --More-- pager, and "busy" periods (a running command) during which typed keys queue up
 * as typeahead, the way a real device's tty buffers them.
 */

export const MORE = ' --More-- ';

export type InterruptKind = 'busy' | 'pager' | 'line' | 'idle';

export interface TerminalHandlers {
  onLine(line: string): void;
  onInterrupt(kind: InterruptKind): void;
  onTypeahead(): void;
}

export class Terminal {
  /** echo typed characters (off while a password is typed, and on exec channels) */
  echo = true;
  /** echo the newline that ends a line (off on exec channels, where there is no tty) */
  echoNewline = true;
  /** 0 disables paging, like `terminal length 0` */
  pageLength = 24;
  private line = '';
  private lastWasCR = false;
  private busy?: { cancel: () => void };
  private pager?: { rest: string[]; then: () => void };
  private typeahead = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly handlers: TerminalHandlers,
  ) {}

  input(data: string): void {
    for (const ch of data) {
      if (ch === '\x03') this.interrupt();
      else if (this.busy) {
        this.typeahead += ch;
        this.handlers.onTypeahead();
      }
      else if (this.pager) this.pagerKey(ch);
      else this.key(ch);
    }
  }

  /** Writes lines, stopping at --More-- every page unless paging is off; `then` runs at the end. */
  print(lines: string[], then: () => void): void {
    if (!this.pageLength || lines.length < this.pageLength) {
      this.writeLines(lines);
      return then();
    }
    this.writeLines(lines.slice(0, this.pageLength - 1));
    this.pager = { rest: lines.slice(this.pageLength - 1), then };
    this.write(MORE);
  }

  writeLines(lines: string[]): void {
    if (lines.length) this.write(lines.join('\r\n') + '\r\n');
  }

  /** Busy for `ms`, then runs `fn`; Ctrl-C cancels. `fn` may chain another busy period. */
  busyFor(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.busy = undefined;
      fn();
      if (!this.busy) this.flushTypeahead();
    }, ms);
    this.busy = { cancel: () => clearTimeout(timer) };
  }

  /** The session went away: a busy period in progress never completes (its timer would outlive the device). */
  dispose(): void {
    this.busy?.cancel();
    this.busy = undefined;
  }

  /** Busy until Ctrl-C (or forever). */
  hang(): void {
    this.busy = { cancel: () => undefined };
  }

  private interrupt(): void {
    if (this.busy) {
      this.busy.cancel();
      this.busy = undefined;
      this.typeahead = '';
      return this.handlers.onInterrupt('busy');
    }
    if (this.pager) {
      this.pager = undefined;
      this.write(`\r${' '.repeat(MORE.length)}\r`);
      return this.handlers.onInterrupt('pager');
    }
    const hadLine = this.line !== '';
    this.line = '';
    this.handlers.onInterrupt(hadLine ? 'line' : 'idle');
  }

  private key(ch: string): void {
    if (ch === '\n' && this.lastWasCR) {
      this.lastWasCR = false;
      return;
    }
    this.lastWasCR = ch === '\r';
    if (ch === '\r' || ch === '\n') {
      const line = this.line;
      this.line = '';
      if (this.echoNewline) this.write('\r\n');
      return this.handlers.onLine(line);
    }
    if (ch === '\x7f' || ch === '\b') {
      if (this.line && this.echo) this.write('\b \b');
      this.line = this.line.slice(0, -1);
      return;
    }
    if (ch < ' ') return;
    this.line += ch;
    if (this.echo) this.write(ch);
  }

  /** Space: next page; Return: next line; anything else ends the output (like `q`). */
  private pagerKey(ch: string): void {
    const pager = this.pager!;
    this.write(`\r${' '.repeat(MORE.length)}\r`);
    const count = ch === ' ' ? this.pageLength - 1 : ch === '\r' || ch === '\n' ? 1 : 0;
    this.writeLines(pager.rest.splice(0, count));
    if (count && pager.rest.length) return this.write(MORE);
    this.pager = undefined;
    pager.then();
  }

  private flushTypeahead(): void {
    const pending = this.typeahead;
    this.typeahead = '';
    if (pending) this.input(pending);
  }
}
