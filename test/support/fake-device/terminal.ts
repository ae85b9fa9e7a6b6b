/**
 * The line discipline of the fake device's terminal: echo, line editing, interrupt keys
 * (Ctrl-C; on IOS also its escape sequence Ctrl-^), the --More-- pager, and "busy" periods
 * (a running command) during which typed keys queue up as typeahead, the way a real device's
 * tty buffers them.
 */

export const MORE = ' --More-- ';

export type InterruptKind = 'busy' | 'pager' | 'line' | 'idle';

export const CTRL_C = '\x03';
/** Ctrl-^ (Ctrl-Shift-6): Cisco IOS's escape sequence, what "Type escape sequence to abort." means */
export const CTRL_CARET = '\x1e';

export interface TerminalHandlers {
  onLine(line: string): void;
  onInterrupt(kind: InterruptKind, key: string): void;
  onTypeahead(): void;
}

export class Terminal {
  /** echo typed characters (off while a password is typed, and on exec channels) */
  echo = true;
  /** echo the newline that ends a line (off on exec channels, where there is no tty) */
  echoNewline = true;
  /** 0 disables paging, like `terminal length 0` */
  pageLength = 24;
  /** the keys that interrupt at all on this device */
  interruptKeys = CTRL_C;
  private line = '';
  private lastWasCR = false;
  /** `keys`: the interrupt keys this command obeys (all of interruptKeys when unset); others are ignored */
  private busy?: { cancel: () => void; keys?: string };
  private pager?: { rest: string[]; then: () => void };
  private typeahead = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly handlers: TerminalHandlers,
  ) {}

  input(data: string): void {
    for (const ch of data) {
      if (this.interruptKeys.includes(ch)) {
        // a running command deaf to this key drops it (IOS's ping ignores Ctrl-C)
        if (!this.busy?.keys || this.busy.keys.includes(ch)) this.interrupt(ch);
      } else if (this.busy) {
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

  /**
   * Busy for `ms`, then runs `fn`; an interrupt key (one of `keys`, when given) cancels.
   * `fn` may chain another busy period.
   */
  busyFor(ms: number, fn: () => void, keys?: string): void {
    const timer = setTimeout(() => {
      this.busy = undefined;
      fn();
      if (!this.busy) this.flushTypeahead();
    }, ms);
    this.busy = { cancel: () => clearTimeout(timer), keys };
  }

  /** The session is gone: a running command's timers stop with it, as on a device whose vty closed. */
  close(): void {
    this.busy?.cancel();
    this.busy = undefined;
    this.pager = undefined;
  }

  /** Busy until interrupted (or forever). */
  hang(): void {
    this.busy = { cancel: () => undefined };
  }

  private interrupt(key: string): void {
    if (this.busy) {
      this.busy.cancel();
      this.busy = undefined;
      this.typeahead = '';
      return this.handlers.onInterrupt('busy', key);
    }
    if (this.pager) {
      this.pager = undefined;
      this.write(`\r${' '.repeat(MORE.length)}\r`);
      return this.handlers.onInterrupt('pager', key);
    }
    const hadLine = this.line !== '';
    this.line = '';
    this.handlers.onInterrupt(hadLine ? 'line' : 'idle', key);
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
