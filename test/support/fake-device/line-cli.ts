/**
 * What the fake's non-Cisco CLIs (Junos, VRP/Comware, FortiOS) share: the terminal, the prompt after each command,
 * questions answered by the next line, and the config store. Each dialect says what its prompt is and what a line does.
 */
import { ConfigStore } from './config-store';
import { CTRL_C, InterruptKind, Terminal } from './terminal';
import { CliHooks, CliOptions } from './types';

export abstract class LineCli {
  protected readonly term: Terminal;
  protected readonly store: ConfigStore;
  protected hostname: string;
  /** a question the device asked: the next line typed answers it */
  private asking?: (answer: string) => void;

  constructor(
    protected readonly opts: CliOptions,
    protected readonly hooks: CliHooks,
    protected readonly exec = false,
  ) {
    this.hostname = opts.hostname;
    this.store = new ConfigStore(hooks.record);
    this.term = new Terminal(hooks.write, {
      onLine: (line) => this.onLine(line),
      onInterrupt: (kind, key) => this.onInterrupt(kind, key),
      onTypeahead: () => hooks.record.typeahead++,
    });
    this.term.pageLength = exec ? 0 : opts.pageLength;
    this.term.echo = this.term.echoNewline = !exec;
  }

  start(): void {
    if (this.opts.hangAtLogin) return;
    const banner = this.opts.banner ? this.opts.banner.split('\n') : [];
    this.term.writeLines(['', ...banner, '']);
    this.showPrompt();
  }

  input(data: string): void {
    if (this.opts.hangAtLogin) return;
    for (const ch of data) if (ch === CTRL_C) this.hooks.record.ctrlC++;
    this.term.input(data);
  }

  close(): void {
    this.term.close();
  }

  runExec(command: string): void {
    this.input(`${command}\n`);
  }

  /** the prompt of the current mode */
  protected abstract prompt(): string;
  /** one non-empty line typed at the prompt */
  protected abstract command(line: string): void;

  protected showPrompt(): void {
    if (this.exec) return this.hooks.logout(0);
    this.hooks.write(this.prompt());
  }

  /** output, then the prompt */
  protected print(lines: string[]): void {
    this.term.print(lines, () => this.showPrompt());
  }

  protected ask(question: string, then: (answer: string) => void): void {
    this.hooks.write(question);
    this.asking = then;
  }

  private onLine(line: string): void {
    if (this.asking) {
      const answer = this.asking;
      this.asking = undefined;
      this.hooks.record.answers.push(line.trim());
      return answer(line.trim());
    }
    const command = line.trim();
    if (!command) return this.showPrompt();
    this.hooks.record.commands.push(command);
    this.command(command);
  }

  private onInterrupt(kind: InterruptKind, key: string): void {
    if (kind === 'idle') return;
    if (kind !== 'pager' && key === CTRL_C) this.hooks.write('^C\r\n');
    this.asking = undefined;
    this.showPrompt();
  }
}

/** The caret under `token` of `line` typed after a prompt of `promptLength` characters. */
export function caretUnder(line: string, token: number, promptLength: number): string {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  let column = line.length;
  for (let i = 0; (m = re.exec(line)); i++) {
    if (i === token) {
      column = m.index;
      break;
    }
  }
  return ' '.repeat(promptLength + column) + '^';
}
