/**
 * What textfsm's `TextTable` does to a TextFSM result inside clitable: `Row._SetValues` turns every value into
 * `str()` (a List into a list of `str()`), and `TextTable.extend` adds the columns of a second template's
 * table to the first, joining rows by the Key columns or else by position.
 */
import { pyRepr, pyStr, PyValue } from './python-text';
import { CliTableError } from './cli-table-index-file';
import { TextFsmValue } from './textfsm';

/** A cell once clitable holds it: a string, or a list of strings. */
export type StrCell = string | string[];

export interface Table {
  header: string[];
  rows: StrCell[][];
  /** The merge keys in force when this table was parsed. */
  keys?: string[];
}

export function toTable(header: string[], rows: TextFsmValue[][]): Table {
  const cell = (v: TextFsmValue): StrCell => (typeof v === 'string' ? v : (v as PyValue[]).map(pyStr));
  return { header: [...header], rows: rows.map((row) => row.map(cell)) };
}

function sameCell(a: StrCell | undefined, b: StrCell | undefined): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `TextTable._GetTable`: the text `column in self.table` searches (AddColumn's duplicate check is a substring test). */
function tableText(t: Table): string {
  const line = (cells: StrCell[]) => cells.map((c) => (typeof c === 'string' ? c : pyRepr(c))).join(', ') + '\n';
  return line(t.header) + t.rows.map(line).join('');
}

/** `TextTable.extend(other, keys)`, on copies. */
export function mergeTables(base: Table, other: Table, keys: string[]): Table {
  for (const k of keys) {
    if (!base.header.includes(k)) throw new CliTableError(`Unknown key: '${k}'`);
  }
  const extendWith = other.header.filter((c) => !base.header.includes(c));
  if (extendWith.length === 0) return base;
  const out: Table = { header: [...base.header], rows: base.rows.map((r) => [...r]) };
  for (const column of extendWith) {
    // Python's check really is a substring search of the whole table's text.
    if (tableText(out).includes(column)) throw new CliTableError(`Column '${column}' already in table.`);
    out.header.push(column);
    for (const row of out.rows) row.push('');
  }
  const from = extendWith.map((c) => other.header.indexOf(c));
  const to = extendWith.map((c) => out.header.indexOf(c));
  const copy = (row1: StrCell[], row2: StrCell[]) => from.forEach((f, i) => (row1[to[i]] = row2[f]));
  if (keys.length === 0) {
    const n = Math.min(out.rows.length, other.rows.length);
    for (let r = 0; r < n; r++) copy(out.rows[r], other.rows[r]);
    return out;
  }
  const baseKey = keys.map((k) => out.header.indexOf(k));
  const otherKey = keys.map((k) => other.header.indexOf(k));
  const missing = keys.find((k, i) => otherKey[i] < 0);
  // Python's Row lookup raises IndexError as soon as it compares a row pair.
  if (missing !== undefined && out.rows.length > 0 && other.rows.length > 0) throw new CliTableError(`No such column "${missing}" in row.`);
  for (const row1 of out.rows) {
    const row2 = other.rows.find((r) => baseKey.every((b, i) => sameCell(row1[b], r[otherKey[i]])));
    if (row2) copy(row1, row2);
  }
  return out;
}
