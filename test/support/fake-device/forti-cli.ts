/**
 * A FortiOS CLI: "host # " at the top, "host (interface) # " in a `config` block, "host (port1) # " in an `edit`;
 * `set`/`unset` are kept until `end` applies (and saves) the block, `abort` drops it. Paging is the global console
 * setting `config system console` / `set output standard|more`, which netmiko changes and restores.
 */
import { LineCli } from './line-cli';

/** Attributes `set` knows; any other is a parse error. */
const ATTRIBUTES = ['description', 'alias', 'ip', 'allowaccess', 'status', 'mode', 'type', 'role', 'hostname', 'timezone', 'admintimeout', 'output', 'name', 'comments', 'srcintf', 'dstintf', 'srcaddr', 'dstaddr', 'action', 'service', 'schedule', 'subnet', 'gateway', 'device', 'dst', 'vdom'];

export const FORTIOS_VERSION_LINE = 'Version: FortiGate-60E v7.2.5,build1517,230606 (GA.F)';

export class FortiCli extends LineCli {
  /** the open config block and edits, e.g. ['system interface', 'port1'] */
  private path: string[] = [];
  /** the block's lines, applied at `end` */
  private block: string[] = [];

  protected prompt(): string {
    if (!this.path.length) return `${this.hostname} # `;
    const here = this.path[this.path.length - 1];
    return `${this.hostname} (${here.split(' ').pop()}) # `;
  }

  override start(): void {
    this.term.pageLength = this.opts.consoleOutput === 'standard' || this.exec ? 0 : this.opts.pageLength;
    super.start();
  }

  protected command(line: string): void {
    const [word, ...rest] = line.split(/\s+/);
    if (this.path.length) return this.inBlock(line, word, rest);
    if (word === 'config' && rest.length) return this.enter(line, rest.join(' '));
    if (/^get system status( \| grep \S+)?$/.test(line)) return this.print(this.status(rest[4]));
    if (line === 'get system console') return this.print([`output              : ${this.opts.consoleOutput ?? 'more'}`, 'mode                : line']);
    if (line === 'show full-configuration' || line === 'show') return this.print(this.running());
    if (line === 'exit') return this.hooks.logout(0);
    this.fail(word);
  }

  private inBlock(line: string, word: string, rest: string[]): void {
    if (word === 'set' || word === 'unset') {
      if (!ATTRIBUTES.includes(rest[0] ?? '')) return this.fail(rest[0] ?? '');
      if (word === 'set' && rest.length < 2) return this.print(['value parse error before \'\'', 'Command fail. Return code -651']);
      this.block.push(line);
      return this.showPrompt();
    }
    if (word === 'edit' && rest.length) {
      this.block.push(line);
      this.path.push(rest.join(' '));
      return this.showPrompt();
    }
    if (word === 'config' && rest.length) return this.enter(line, rest.join(' '));
    if (line === 'next') {
      this.block.push(line);
      this.path.pop();
      return this.showPrompt();
    }
    if (line === 'end') return this.end();
    if (line === 'abort') {
      this.path = [];
      this.block = [];
      return this.showPrompt();
    }
    if (line === 'show') return this.print(this.block);
    this.fail(word);
  }

  private enter(line: string, what: string): void {
    this.block.push(line);
    this.path.push(what);
    this.showPrompt();
  }

  /** applies the whole block (FortiOS writes it to flash at once: there is no separate save) */
  private end(): void {
    this.block.push('end');
    const console = this.block[0] === 'config system console' && this.block.find((l) => /^set output /.test(l));
    if (console) {
      this.opts.consoleOutput = console.endsWith('standard') ? 'standard' : 'more';
      this.term.pageLength = this.opts.consoleOutput === 'standard' ? 0 : this.opts.pageLength;
    } else {
      for (const l of this.block) this.store.add(l);
      this.store.save();
    }
    this.path = [];
    this.block = [];
    this.showPrompt();
  }

  private fail(word: string): void {
    this.print([`command parse error before '${word}'`, 'Command fail. Return code -61']);
  }

  private status(grep?: string): string[] {
    const lines = [FORTIOS_VERSION_LINE, 'Serial-Number: FGT60E4Q16000000', `Hostname: ${this.hostname}`, 'Virtual domain configuration: disable', 'Current HA mode: standalone'];
    return grep ? lines.filter((l) => l.includes(grep)) : lines;
  }

  private running(): string[] {
    const ifaces = Array.from({ length: this.opts.interfaceCount }, (_, i) => [`    edit "port${i + 1}"`, '        set vdom "root"', '    next']).flat();
    return ['config system global', `    set hostname "${this.hostname}"`, 'end', 'config system interface', ...ifaces, 'end', ...this.hooks.record.configLines];
  }
}
