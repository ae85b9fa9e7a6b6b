/**
 * The VRP (Huawei) and Comware (HP/H3C) CLI: "<host>" user view, "[host]" system view, "[host-GigabitEthernet1/0/1]"
 * interface views, `quit` one level up, `return` to user view, and each vendor's `save` questions.
 */
import { caretUnder, LineCli } from './line-cli';

/** System-view keywords taking arguments that the fake accepts; anything else is unrecognized. */
const KEYWORDS = ['sysname', 'description', 'vlan', 'ip', 'undo', 'port', 'ntp-service', 'info-center', 'snmp-agent', 'user-interface', 'stp', 'lldp', 'local-user', 'link-type', 'shutdown'];

export const VRP_VERSION_LINE = 'VRP (R) software, Version 8.180 (CE6850 V200R005C10SPC800)';
export const COMWARE_VERSION_LINE = 'HPE Comware Software, Version 7.1.070, Release 3208P11';

export class VrpCli extends LineCli {
  /** null: user view; '': system view; else the sub-view's name */
  private view: string | null = null;
  private readonly comware = this.opts.flavor === 'hp_comware';

  protected prompt(): string {
    if (this.view === null) return `<${this.hostname}>`;
    return `[${this.hostname}${this.view ? `-${this.view}` : ''}]`;
  }

  protected command(line: string): void {
    // save works in every view
    if (line === 'save') return this.save();
    if (line === 'save force' && this.comware) return this.saved();
    if (this.view !== null) return this.systemCommand(line);
    if (line === (this.comware ? 'screen-length disable' : 'screen-length 0 temporary')) {
      this.term.pageLength = 0;
      return this.print(this.comware ? [] : ['Info: The configuration takes effect on the current user terminal interface only.']);
    }
    if (!this.display(line)) this.userCommand(line);
  }

  /** display commands work in every view; true when the line was one */
  private display(line: string): boolean {
    if (line === 'display version') this.print([this.comware ? COMWARE_VERSION_LINE : VRP_VERSION_LINE, `${this.hostname} uptime is 12 weeks, 3 days`]);
    else if (/^display current-configuration/.test(line)) this.print(this.currentConfig());
    else return false;
    return true;
  }

  private userCommand(line: string): void {
    if (line === 'system-view') {
      this.view = '';
      this.term.writeLines([this.comware ? 'System View: return to User View with Ctrl+Z.' : 'Enter system view, return user view with Ctrl+Z.']);
      return this.showPrompt();
    }
    if (line === 'quit') return this.hooks.logout(0);
    this.reject(line, 0);
  }

  private systemCommand(line: string): void {
    const [word, arg] = line.split(/\s+/);
    if (line === 'return') this.view = null;
    else if (line === 'quit') this.view = this.view ? '' : null;
    else if (this.display(line)) return;
    else if (word === 'interface' && arg) {
      this.store.add(line);
      this.view = line.slice('interface '.length).replace(/\s+/g, '');
    } else if (KEYWORDS.includes(word) && (arg || word === 'shutdown')) {
      this.store.add(line);
      if (word === 'sysname') this.hostname = arg;
    } else return this.reject(line, KEYWORDS.includes(word) ? 1 : 0, KEYWORDS.includes(word) ? 'Incomplete' : 'Unrecognized');
    this.showPrompt();
  }

  private reject(line: string, token: number, what = 'Unrecognized'): void {
    const message = `${what} command found at '^' position.`;
    this.print([caretUnder(line, token, this.prompt().length), this.comware ? `% ${message}` : `Error: ${message}`]);
  }

  /** Huawei asks once; Comware asks to confirm, for the file name (Enter keeps it) and to overwrite it. */
  private save(): void {
    if (!this.comware) {
      return this.ask('Warning: The current configuration will be written to the device. Continue? [Y/N]:', (a) => (/^y/i.test(a) ? this.saved() : this.cancelled()));
    }
    this.ask('The current configuration will be written to the device. Are you sure? [Y/N]:', (a) => {
      if (!/^y/i.test(a)) return this.cancelled();
      this.ask('Please input the file name(*.cfg)[flash:/startup.cfg]\r\n(To leave the existing filename unchanged, press the enter key):', (name) => {
        if (name !== '' && name !== 'flash:/startup.cfg') return this.print([`The file name is invalid(does not end with .cfg).`]);
        this.ask('flash:/startup.cfg exists, overwrite? [Y/N]:', (b) => (/^y/i.test(b) ? this.saved() : this.cancelled()));
      });
    });
  }

  private saved(): void {
    this.store.save();
    if (this.comware) return this.print(['Validating file. Please wait...', 'Saved the current configuration to mainboard device successfully.']);
    this.print(['Now saving the current configuration to the slot 0.', 'Info: Save the configuration successfully.']);
  }

  private cancelled(): void {
    this.print([this.comware ? 'Configuration is not saved!' : 'Info: The operation is cancelled.']);
  }

  private currentConfig(): string[] {
    const ifaces = Array.from({ length: this.opts.interfaceCount }, (_, i) => [`interface GigabitEthernet1/0/${i + 1}`, ' port link-mode bridge', '#']).flat();
    return ['#', ` sysname ${this.hostname}`, '#', ...ifaces, ...this.hooks.record.configLines.map((l) => ` ${l}`), '#', 'return'];
  }
}
