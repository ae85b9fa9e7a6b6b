/**
 * The per-session CLI of the fake device: user/privileged/config modes, enable, the canned
 * show commands and the misbehaving ones (slow, hang, drop, big) that the driver must survive.
 */
import { CommandSpec, Match, matchCommand } from './command-table';
import { CONFIG_TABLE, ConfigId, EXEC_TABLE, ExecId, LINUX_TABLE } from './commands';
import * as out from './outputs';
import { CTRL_C, CTRL_CARET, InterruptKind, Terminal } from './terminal';
import { CliHooks, CliOptions } from './types';
import { ConfigStore } from './config-store';

type Mode = 'user' | 'password' | 'priv' | 'config';

/** IOS-XE is IOS for what the fake does. */
const iosLike = (flavor: string) => flavor === 'cisco_ios' || flavor === 'cisco_xe';
/** NX-OS and IOS-XR log users in at the privileged prompt. */
const noEnable = (flavor: string) => flavor === 'cisco_nxos' || flavor === 'cisco_xr';

/** One lost echo per tick (a real device waits its 2 s timeout; the fake need not). */
const PING_TICK_MS = 50;

export class CliEmulator {
  private mode: Mode;
  private subMode?: string;
  private hostname: string;
  private enableTries = 0;
  private failed = false;
  /** the ping under way: its target and the packets sent so far */
  private ping?: { target: string; sent: number };
  private readonly term: Terminal;
  private readonly store: ConfigStore;
  /** a question the device asked: the next line typed answers it */
  private asking?: (answer: string) => void;

  constructor(
    private readonly opts: CliOptions,
    private readonly hooks: CliHooks,
    private readonly exec = false,
  ) {
    this.hostname = opts.hostname;
    this.mode = exec || opts.startPrivileged || noEnable(opts.flavor) ? 'priv' : 'user';
    this.store = new ConfigStore(hooks.record);
    this.term = new Terminal(hooks.write, {
      onLine: (line) => this.onLine(line),
      onInterrupt: (kind, key) => this.onInterrupt(kind, key),
      onTypeahead: () => hooks.record.typeahead++,
    });
    this.term.pageLength = exec || opts.flavor === 'linux' ? 0 : opts.pageLength;
    this.term.echo = this.term.echoNewline = !exec;
    if (opts.echo === false) this.term.echo = false;
    // IOS also stops on its escape sequence; the others know only Ctrl-C
    this.term.interruptKeys = iosLike(opts.flavor) ? CTRL_C + CTRL_CARET : CTRL_C;
  }

  start(): void {
    if (this.opts.hangAtLogin) return;
    const banner = this.opts.banner ? this.opts.banner.split('\n') : [];
    this.term.writeLines(['', ...banner, '']);
    this.showPrompt();
  }

  input(data: string): void {
    if (this.opts.hangAtLogin) return;
    for (const ch of data) {
      if (ch === CTRL_C) this.hooks.record.ctrlC++;
      if (ch === CTRL_CARET) this.hooks.record.escapes++;
    }
    this.term.input(data);
  }

  /** The channel closed: nothing runs on (an endless ping would keep the test process alive). */
  close(): void {
    this.ping = undefined;
    this.term.close();
  }

  /** Runs one command as an exec request: output, then the channel ends. */
  runExec(command: string): void {
    this.input(`${command}\n`);
  }

  private prompt(): string {
    const h = this.opts.flavor === 'cisco_xr' ? `RP/0/RP0/CPU0:${this.hostname}` : this.hostname;
    if (this.opts.flavor === 'linux') return `${this.opts.username}@${h}:~$ `;
    if (this.mode === 'user') return `${h}>`;
    if (this.mode === 'config') return `${h}(${this.subMode ?? 'config'})#`;
    return `${h}#`;
  }

  private showPrompt(): void {
    if (this.exec) return this.hooks.logout(this.failed ? 1 : 0);
    this.hooks.write(this.prompt());
  }

  private onInterrupt(kind: InterruptKind, key: string): void {
    // IOS ignores Ctrl-C at an idle prompt; a shell prints ^C and a fresh prompt.
    if (kind === 'idle' && this.opts.flavor !== 'linux') return;
    if (this.mode === 'password') this.leavePassword();
    // a tty echoes Ctrl-C as ^C; IOS's escape sequence shows nothing
    if (kind !== 'pager' && key === CTRL_C) this.hooks.write('^C\r\n');
    if (this.ping) return this.endPing();
    this.showPrompt();
  }

  private onLine(line: string): void {
    if (this.mode === 'password') return this.checkSecret(line);
    if (this.asking) {
      const answer = this.asking;
      this.asking = undefined;
      this.hooks.record.answers.push(line.trim());
      return answer(line.trim());
    }
    const command = line.trim();
    if (!command) return this.showPrompt();
    this.hooks.record.commands.push(command);
    const delay = this.delayFor(command);
    if (delay > 0) this.term.busyFor(delay, () => this.dispatch(line));
    else this.dispatch(line);
  }

  private delayFor(command: string): number {
    const d = this.opts.commandDelayMs;
    return typeof d === 'number' ? d : (d[command] ?? 0);
  }

  private dispatch(line: string): void {
    if (this.opts.flavor === 'linux') return this.execCommand(line, LINUX_TABLE);
    if (this.mode === 'config') return this.configCommand(line);
    const table = this.mode === 'priv' ? EXEC_TABLE : EXEC_TABLE.filter((s) => !s.priv);
    this.execCommand(line, table);
  }

  private execCommand(line: string, table: CommandSpec<ExecId>[]): void {
    const match = matchCommand(line, table);
    if (!match.ok) return this.reject(line, match);
    const [arg] = match.args;
    const print = (lines: string[]) => this.term.print(lines, () => this.showPrompt());
    switch (match.id) {
      case 'version': return print(out.showVersion(this.opts.flavor, this.hostname));
      case 'clock': return print(out.showClock());
      case 'ipbrief': return print(out.showIpInterfaceBrief(this.opts.flavor, this.opts.interfaceCount));
      case 'running':
        return print(out.showRunningConfig(this.opts.flavor, this.hostname, this.opts.interfaceCount, this.hooks.record.configLines));
      case 'big': return print(out.bigOutput(Number(arg)));
      case 'echo': return print([arg ?? '']);
      case 'whoami': return print([this.opts.username]);
      case 'uname': return print([`Linux ${this.hostname} 6.1.0-18-amd64 #1 SMP Debian 6.1.76-1 x86_64 GNU/Linux`]);
      case 'ping': return this.startPing(arg);
      case 'slow': return this.slow(0);
      case 'ticks': return this.ticks(Number(match.args[0]), Number(match.args[1]), 0);
      case 'hang': return this.hang();
      case 'drop': return this.drop();
      case 'length':
        if (!this.opts.ignoreTerminalLength) this.term.pageLength = Number(arg);
        return this.showPrompt();
      case 'silent': return this.showPrompt();
      case 'write':
        this.store.save();
        return print(out.saveDone(this.opts.flavor));
      case 'copy': return this.copyRunStart();
      case 'session':
        if (this.opts.flavor !== 'arista_eos') return this.reject(line, { ok: false, error: 'invalid', at: 1 });
        this.store.open('eos-session', arg);
        this.mode = 'config';
        this.subMode = `config-s-${arg}`;
        return this.showPrompt();
      case 'enable': return this.enable();
      case 'disable': this.mode = 'user'; return this.showPrompt();
      case 'configure': return this.enterConfig();
      case 'exit': return this.hooks.logout(0);
    }
  }

  private configCommand(line: string): void {
    const match = matchCommand(line, CONFIG_TABLE);
    if (!match.ok) return this.reject(line, match);
    const id: ConfigId = match.id;
    if (id === 'do') return this.execCommand(match.args[0], EXEC_TABLE);
    if (id === 'commit' || id === 'abort' || id === 'show') return this.candidateCommand(line, id);
    const top = this.sessionMode();
    if (id === 'end' || (id === 'exit' && this.subMode === top)) return this.leaveConfig();
    if (id === 'exit') this.subMode = top;
    else {
      this.store.add(line.trim());
      if (id === 'hostname') this.hostname = match.args[0];
      if (id === 'interface') this.subMode = `${top ?? 'config'}-${this.interfaceMode(match.args[0])}`;
      if (id.startsWith('config-')) this.subMode = top ? `${top}-${id.slice('config-'.length)}` : id;
    }
    this.showPrompt();
  }

  /** "config-s-NAME" inside an EOS configure session, else undefined */
  private sessionMode(): string | undefined {
    return this.store.candidate?.style === 'eos-session' ? `config-s-${this.store.candidate.name}` : undefined;
  }

  /** commit, abort and the diff: only where the vendor has a candidate (XR always, EOS in a configure session) */
  private candidateCommand(line: string, id: 'commit' | 'abort' | 'show'): void {
    const style = this.store.candidate?.style;
    const wanted = /session-config/.test(line) ? 'eos-session' : /commit changes/.test(line) ? 'xr' : style;
    if (!style || wanted !== style) return this.reject(line, { ok: false, error: 'invalid', at: 0 });
    if (id === 'show') return this.term.print(this.store.diff(), () => this.showPrompt());
    if (id === 'abort') {
      this.store.discard();
      return this.toExec();
    }
    this.store.commit();
    if (style === 'eos-session') return this.toExec();
    this.showPrompt();
  }

  /** end/exit at the top: XR asks about uncommitted changes; an EOS session left this way is dropped */
  private leaveConfig(): void {
    if (this.store.candidate?.style !== 'xr' || !this.store.pending.length) {
      this.store.discard();
      return this.toExec();
    }
    this.hooks.write('Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:');
    this.asking = (answer) => {
      if (answer === 'yes') this.store.commit();
      if (answer !== 'yes' && answer !== 'no') return this.showPrompt();
      this.store.discard();
      this.toExec();
    };
  }

  private toExec(): void {
    this.mode = 'priv';
    this.subMode = undefined;
    this.showPrompt();
  }

  /** IOS and XE ask where to; NX-OS and EOS just copy. */
  private copyRunStart(): void {
    const done = () => {
      this.store.save();
      this.term.print(out.saveDone(this.opts.flavor), () => this.showPrompt());
    };
    if (!iosLike(this.opts.flavor)) return done();
    this.hooks.write('Destination filename [startup-config]? ');
    this.asking = (answer) => {
      if (answer === '' || answer === 'startup-config') return done();
      this.term.writeLines([`%Error opening flash:${answer} (Permission denied)`]);
      this.showPrompt();
    };
  }

  private interfaceMode(name: string): string {
    if (this.opts.flavor !== 'arista_eos') return 'if';
    return `if-${name.replace(/\s+/g, '').replace(/^([A-Za-z]{2})[A-Za-z]*/, '$1')}`;
  }

  private enterConfig(): void {
    this.mode = 'config';
    this.subMode = undefined;
    if (this.opts.flavor === 'cisco_xr') this.store.open('xr');
    if (iosLike(this.opts.flavor)) {
      this.term.writeLines(['Enter configuration commands, one per line.  End with CNTL/Z.']);
    }
    this.showPrompt();
  }

  private enable(): void {
    if (this.mode === 'priv' || !this.opts.secret) {
      this.mode = 'priv';
      return this.showPrompt();
    }
    this.enableTries = 0;
    this.askSecret();
  }

  private askSecret(): void {
    this.mode = 'password';
    this.term.echo = false;
    this.hooks.write('Password: ');
  }

  private leavePassword(): void {
    this.mode = 'user';
    this.term.echo = this.opts.echo !== false;
  }

  /** IOS asks three times then says "% Bad secrets"; EOS says "% Access denied" at once. */
  private checkSecret(answer: string): void {
    this.leavePassword();
    if (answer === this.opts.secret) {
      this.mode = 'priv';
      return this.showPrompt();
    }
    if (iosLike(this.opts.flavor) && ++this.enableTries < 3) return this.askSecret();
    this.term.writeLines([iosLike(this.opts.flavor) ? '% Bad secrets' : '% Access denied', '']);
    this.showPrompt();
  }

  private reject(line: string, match: Exclude<Match<unknown>, { ok: true }>): void {
    this.failed = true;
    this.term.writeLines(out.rejection(this.opts.flavor, line, match, this.prompt().length));
    this.showPrompt();
  }

  /** `show slow`: a few lines spread over slowCommandMs. */
  private slow(i: number): void {
    if (i >= out.SLOW_LINES.length) return this.showPrompt();
    this.term.busyFor(this.opts.slowCommandMs / out.SLOW_LINES.length, () => {
      this.term.writeLines([out.SLOW_LINES[i]]);
      this.slow(i + 1);
    });
  }

  /**
   * `show ticks <n> <ms>`: n lines `tick <i> <wall clock ms, 3 decimals>`, one every ms; the stamp is taken as the line
   * is written, so a reader on this machine knows how long the line took to reach it.
   */
  private ticks(n: number, everyMs: number, i: number): void {
    if (i >= n) return this.showPrompt();
    this.term.busyFor(everyMs, () => {
      this.term.writeLines([`tick ${i} ${(performance.timeOrigin + performance.now()).toFixed(3)}`]);
      this.ticks(n, everyMs, i + 1);
    });
  }

  /** `show hang`: starts, then waits for Ctrl-C forever. */
  private hang(): void {
    this.term.writeLines([out.HANG_START]);
    this.term.hang();
  }

  /**
   * `ping <target> [repeat N]` to a target that never answers. IOS sends 5 by default and stops only on its
   * escape sequence (Ctrl-C does nothing there); EOS sends 5, Linux pings until Ctrl-C.
   */
  private startPing(args: string): void {
    const [target] = args.split(/\s+/);
    const repeat = Number(/\brepeat (\d+)/.exec(args)?.[1] ?? (this.opts.flavor === 'linux' ? Infinity : 5));
    this.ping = { target, sent: 0 };
    this.term.writeLines(out.pingStart(this.opts.flavor, target, repeat));
    const keys = this.opts.flavor === 'cisco_ios' ? CTRL_CARET : CTRL_C;
    const tick = () => {
      const ping = this.ping!;
      ping.sent++;
      if (this.opts.flavor === 'cisco_ios') this.hooks.write('.');
      if (ping.sent >= repeat) return this.endPing();
      this.term.busyFor(PING_TICK_MS, tick, keys);
    };
    this.term.busyFor(PING_TICK_MS, tick, keys);
  }

  private endPing(): void {
    const { target, sent } = this.ping!;
    this.ping = undefined;
    this.term.writeLines(out.pingSummary(this.opts.flavor, target, sent));
    this.showPrompt();
  }

  /** `show drop`: half the output, then the connection goes away. */
  private drop(): void {
    const lines = out.dropOutput();
    this.term.writeLines(lines.slice(0, lines.length / 2));
    this.term.hang();
    setTimeout(() => this.hooks.drop(), 20);
  }
}
