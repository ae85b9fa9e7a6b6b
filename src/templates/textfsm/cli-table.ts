/**
 * The ntc-templates index, as textfsm's `clitable.CliTable` reads and uses it and as
 * `ntc_templates.parse.parse_output` calls it: the first index row whose columns all match the attributes
 * (each a Python regex, `re.match` anchored at the start only) names the template(s); several templates
 * (`a.textfsm:b.textfsm`) parse the same text and their columns are merged as `TextTable.extend` merges them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyRepr, PyValue } from './python-text';
import { CliTableError, IndexRow, readIndex, universalNewlines } from './cli-table-index-file';
import { mergeTables, StrCell, toTable, Table } from './cli-table-merge';
import { Executor, PythonRegex } from './python-regex';
import { TextFsm } from './textfsm';

export { CliTableError };

export class CliTableIndex {
  /** Index regexes run for a yes or no only. */
  private readonly matchers = new Map<PythonRegex, Executor>();
  /** Compiled templates by file name, each compiled on first use and kept. */
  private readonly templates = new Map<string, TextFsm>();
  /** Template texts read but not compiled yet. */
  private readonly texts = new Map<string, string>();

  private constructor(
    private readonly dir: string,
    private readonly header: string[],
    private readonly rows: IndexRow[],
  ) {}

  /** Reads `<dir>/<indexFile>`; throws CliTableError when it is missing or malformed. */
  static load(dir: string, indexFile = 'index'): CliTableIndex {
    const file = join(dir, indexFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliTableError(`cannot read the index ${file}: ${(err as Error).message}`);
    }
    const index = readIndex(text, file);
    return new CliTableIndex(dir, index.header, index.rows);
  }

  /** `IndexTable.GetRowMatch`: attributes the index has no column for are ignored, empty fields match anything. */
  private rowFor(attrs: Record<string, string>): IndexRow | null {
    const keys = Object.keys(attrs).filter((k) => this.header.includes(k));
    for (const row of this.rows) {
      const matches = (k: string) => {
        const re = row.compiled.get(k);
        if (re === undefined) return true;
        let exec = this.matchers.get(re);
        if (!exec) this.matchers.set(re, (exec = re.executor([])));
        return exec(attrs[k]) !== null;
      };
      if (keys.every(matches)) return row;
    }
    return null;
  }

  /** The template file names for the attributes (e.g. `{Platform: 'cisco_ios', Command: 'show version'}`), or null. */
  templatesFor(attrs: Record<string, string>): string[] | null {
    const row = this.rowFor(attrs);
    return row ? (row.fields.get('Template') as string).split(':') : null;
  }

  /** The compiled template `name` of this index's folder (TextFsmTemplateError for a broken one). */
  template(name: string): TextFsm {
    let fsm = this.templates.get(name);
    if (!fsm) {
      fsm = TextFsm.compile(this.templateText(name));
      this.templates.set(name, fsm);
      this.texts.delete(name);
    }
    return fsm;
  }

  private templateText(name: string): string {
    if (this.templates.has(name)) return '';
    let text = this.texts.get(name);
    if (text === undefined) {
      try {
        text = universalNewlines(readFileSync(join(this.dir, name), 'utf8'));
      } catch (err) {
        throw new CliTableError(`cannot read template ${name}: ${(err as Error).message}`);
      }
      this.texts.set(name, text);
    }
    return text;
  }

  /** `CliTable.ParseCmd`: the header and rows, values as clitable stores them (`str()` of each list item). */
  parse(text: string, attrs: Record<string, string>): { header: string[]; rows: StrCell[][] } {
    const names = this.templatesFor(attrs);
    if (names === null) throw new CliTableError(`No template found for attributes: "${pyRepr(attrs as PyValue)}"`);
    // Python opens every template file before it compiles and runs the first.
    names.forEach((n) => this.templateText(n));
    let keys: string[] = [];
    const tables: Table[] = names.map((name) => {
      const fsm = this.template(name);
      // The Key values of the first template that has any decide how later tables are merged.
      if (keys.length === 0) keys = fsm.keyValues();
      return { ...toTable(fsm.header, fsm.parseText(text)), keys: [...keys] };
    });
    let table = tables[0];
    for (const next of tables.slice(1)) table = mergeTables(table, next, next.keys ?? []);
    return { header: table.header, rows: table.rows };
  }

  /** `ntc_templates.parse.parse_output(platform, command, data)`: rows keyed by the lower-cased header. */
  parseOutput(platform: string, command: string, text: string): Record<string, string | string[]>[] {
    let table: { header: string[]; rows: StrCell[][] };
    try {
      table = this.parse(text, { Command: command, Platform: platform });
    } catch (err) {
      if (!(err instanceof CliTableError)) throw err;
      throw new CliTableError(`Unable to parse command "${command}" on platform ${platform} - ${err.message}`);
    }
    const keys = table.header.map((h) => h.toLowerCase());
    return table.rows.map((row) => {
      const out: Record<string, string | string[]> = {};
      row.forEach((cell, i) => {
        if (keys[i] === '__proto__') Object.defineProperty(out, keys[i], { value: cell, enumerable: true, writable: true, configurable: true });
        else out[keys[i]] = cell;
      });
      return out;
    });
  }
}
