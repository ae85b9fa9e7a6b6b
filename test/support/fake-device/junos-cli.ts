/**
 * A Junos CLI: operational mode "user@host>", configuration mode "user@host#" under an "[edit]" line, set/delete lines
 * into the candidate, `show | compare`, `commit [and-quit]`, `rollback 0`, and the question on leaving with
 * uncommitted changes.
 */
import { caretUnder, LineCli } from './line-cli';
import { interfaceName } from './outputs';

/** Top-level configuration statements the fake knows; any other is a syntax error. */
const HIERARCHY = ['system', 'interfaces', 'protocols', 'policy-options', 'routing-options', 'snmp', 'vlans', 'firewall', 'security', 'routing-instances', 'chassis'];

export const JUNOS_VERSION_LINE = 'Junos: 21.4R3-S2.3';

export class JunosCli extends LineCli {
  private config = false;

  protected prompt(): string {
    const who = `${this.opts.username}@${this.hostname}`;
    return this.config ? `\r\n[edit]\r\n${who}# ` : `${who}> `;
  }

  protected command(line: string): void {
    if (this.config) return this.configCommand(line);
    const words = line.split(/\s+/);
    if (/^set cli screen-(length|width) \d+$/.test(line)) {
      if (words[2] === 'screen-length') this.term.pageLength = Number(words[3]);
      return this.showPrompt();
    }
    if (line === 'show version') return this.print([`Hostname: ${this.hostname}`, 'Model: mx204', JUNOS_VERSION_LINE]);
    if (/^show configuration( \| display set)?$/.test(line)) return this.print(this.runningConfig());
    if (line === 'configure' || line === 'configure private') {
      this.config = true;
      this.store.open('junos');
      this.term.writeLines([line === 'configure' ? 'Entering configuration mode' : 'warning: uncommitted changes will be discarded on exit', 'Entering configuration mode']);
      return this.showPrompt();
    }
    if (line === 'exit' || line === 'quit') return this.hooks.logout(0);
    this.print([caretUnder(line, 0, this.prompt().length), 'unknown command.']);
  }

  private configCommand(line: string): void {
    const [verb, top] = line.split(/\s+/);
    if (verb === 'set' || verb === 'delete') {
      if (!top) return this.print(['missing argument.']);
      if (!HIERARCHY.includes(top)) return this.print([caretUnder(line, 1, this.promptLength()), "syntax error, expecting <statement> or <identifier>."]);
      this.store.add(line);
      return this.showPrompt();
    }
    if (line === 'show | compare') return this.print(this.store.diff());
    if (line === 'rollback 0' || line === 'rollback') {
      this.store.discard(false);
      return this.print(['load complete']);
    }
    if (line === 'commit' || line === 'commit and-quit') {
      this.store.commit();
      if (line === 'commit') return this.print(['commit complete']);
      return this.leave(['commit complete', 'Exiting configuration mode']);
    }
    if (line === 'exit configuration-mode' || line === 'exit' || line === 'quit') return this.exitConfig();
    this.print([caretUnder(line, 0, this.promptLength()), 'unknown command.']);
  }

  private exitConfig(): void {
    if (!this.store.pending.length) return this.leave(['Exiting configuration mode']);
    this.term.writeLines(['The configuration has been changed but not committed']);
    this.ask('Exit with uncommitted changes? [yes,no] (yes) ', (answer) => {
      if (answer === 'no') return this.showPrompt();
      this.leave(['Exiting configuration mode']);
    });
  }

  private leave(lines: string[]): void {
    this.config = false;
    // the fake's candidate is private: what was not committed is gone
    this.store.discard();
    this.print(lines);
  }

  private promptLength(): number {
    return `${this.opts.username}@${this.hostname}# `.length;
  }

  private runningConfig(): string[] {
    const base = Array.from({ length: this.opts.interfaceCount }, (_, i) => `set interfaces ${interfaceName('juniper_junos', i)} unit 0`);
    return [`set system host-name ${this.hostname}`, ...base, ...this.hooks.record.configLines];
  }
}
