/**
 * The record being built while parsing, with the Value options' hooks in Python's order (`OnAssignVar`,
 * `OnClearVar`, `OnClearAllVar`, `OnSaveRecord` of `TextFSMOptions`): Filldown keeps the last value across
 * records, Fillup copies a value up into earlier rows that lack it, List collects, Required drops a record.
 */
import { PythonRegex } from './python-regex';
import { ValueDef } from './textfsm-value';

/** One List entry: a string, Python's `None` (a group that did not take part), or the dict of a nested match. */
export type ListItem = string | null | Record<string, string | null>;
/** A value while a record is built: Python's `None`, a string, or (after OnSaveRecord) a List copy. */
type Slot = string | null | ListItem[];
/** A cell of a result row (None already replaced by ''). */
export type Cell = string | ListItem[];

const REQUIRED = 1;
const LIST = 2;

/** Python truthiness of a slot or cell. */
function truthy(v: Slot): boolean {
  return v !== null && v.length > 0;
}

/** Per-Value facts derived once per template. */
export class ValueSpec {
  readonly filldown: boolean;
  readonly fillup: boolean;
  readonly list: boolean;
  /** OnSaveRecord hooks (Required, List) in the order the options were written: the order changes the outcome. */
  readonly saveHooks: number[];
  readonly listRegex: PythonRegex | null;

  constructor(def: ValueDef) {
    this.filldown = def.options.includes('Filldown');
    this.fillup = def.options.includes('Fillup');
    this.list = def.options.includes('List');
    this.saveHooks = def.options.filter((o) => o === 'Required' || o === 'List').map((o) => (o === 'Required' ? REQUIRED : LIST));
    this.listRegex = def.listRegex;
  }
}

/** The mutable state of one parse. */
export class RecordBuilder {
  private readonly values: Slot[];
  private readonly kept: (string | null)[];
  private readonly lists: ListItem[][];
  readonly result: Cell[][] = [];

  constructor(private readonly specs: readonly ValueSpec[]) {
    const n = specs.length;
    this.values = new Array<Slot>(n).fill(null);
    this.kept = new Array<string | null>(n).fill(null);
    this.lists = Array.from({ length: n }, () => []);
  }

  assign(i: number, value: string | null): void {
    const spec = this.specs[i];
    this.values[i] = value;
    if (spec.filldown) this.kept[i] = value;
    if (spec.fillup && value) this.fillUp(i, value);
    if (spec.list) this.lists[i].push(this.listItem(spec, value));
  }

  private fillUp(i: number, value: string): void {
    for (let r = this.result.length - 1; r >= 0; r--) {
      const row = this.result[r];
      if (truthy(row[i])) break;
      row[i] = value;
    }
  }

  private listItem(spec: ValueSpec, value: string | null): ListItem {
    const re = spec.listRegex as PythonRegex;
    if (re.groups <= 1 || re.groupIndex.size === 0) return value;
    // Python's re.match(None) raises TypeError here; a None simply goes into the list instead.
    if (value === null) return value;
    const m = re.match(value);
    return m === null ? value : re.groupDict(m);
  }

  /** `_ClearRecord`: Filldown values fall back to their kept value; List keeps its items only with Filldown. */
  clear(): void {
    for (let i = 0; i < this.specs.length; i++) {
      const spec = this.specs[i];
      this.values[i] = spec.filldown ? this.kept[i] : null;
      if (spec.list && !spec.filldown) this.lists[i] = [];
    }
  }

  /** `_ClearAllRecord`. */
  clearAll(): void {
    for (let i = 0; i < this.specs.length; i++) {
      this.values[i] = null;
      this.kept[i] = null;
      if (this.specs[i].list) this.lists[i] = [];
    }
  }

  /** `_AppendRecord`: a row unless a Required value is empty or every value is None or an empty list. */
  append(): void {
    const n = this.specs.length;
    if (n === 0) return;
    const row: Slot[] = new Array<Slot>(n);
    let empty = true;
    for (let i = 0; i < n; i++) {
      for (const hook of this.specs[i].saveHooks) {
        if (hook === LIST) this.values[i] = this.lists[i].slice();
        else if (!truthy(this.values[i])) {
          this.clear();
          return;
        }
      }
      const v = this.values[i];
      row[i] = v;
      if (v !== null && !(Array.isArray(v) && v.length === 0)) empty = false;
    }
    // Python returns here without clearing the record.
    if (empty) return;
    for (let i = 0; i < n; i++) if (row[i] === null) row[i] = '';
    this.result.push(row as Cell[]);
    this.clear();
  }
}
