/**
 * Reads a clitable index file as textfsm's `IndexTable` does: `TextTable.CsvToTable` (header = first line with
 * text before any `#`; rows split on `,` and stripped; lines starting with `#` skipped; rows of the wrong width
 * silently dropped), then the Command column's `[[...]]` completion, then every column but Template compiled
 * as a Python regex.
 */
import { PythonRegex, PythonRegexError, UnsupportedRegexError } from './python-regex';
import { pyStrip } from './python-text';

export class CliTableError extends Error {
  override readonly name = 'CliTableError';
}

export interface IndexRow {
  /** 1-based row number, as clitable counts rows. */
  row: number;
  /** Fields by column after completion (the Command column holds the expanded regex). */
  fields: Map<string, string>;
  /** Compiled regex per column; absent for Template and for empty fields (which match anything). */
  compiled: Map<string, PythonRegex>;
}

/** `open(path)` in text mode: `\r\n` and lone `\r` read as `\n`. */
export function universalNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** `_Completion`: `sh[[ow]]` becomes `sh(o(w)?)?`. */
export function expandCompletion(command: string): string {
  return command.replace(/\[\[[^\n]+?\]\]/g, (m) => {
    const word = Array.from(m.slice(2, -2));
    return '(' + word.join('(') + ')?'.repeat(word.length);
  });
}

function readCsv(text: string, file: string): { header: string[]; rows: string[][] } {
  const lines = universalNewlines(text).split('\n');
  let at = 0;
  let headerText = '';
  while (!headerText) {
    if (at >= lines.length) throw new CliTableError(`${file}: no header row (Template, Platform, Command, ...)`);
    headerText = pyStrip(lines[at++].split('#')[0]);
  }
  const header: string[] = [];
  for (const entry of headerText.split(',').map(pyStrip)) {
    if (header.includes(entry)) throw new CliTableError(`${file}: Duplicate header entry '${entry}'.`);
    header.push(entry);
  }
  const rows: string[][] = [];
  // The last piece after a final newline is not a line.
  const end = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (; at < end; at++) {
    if (lines[at].startsWith('#')) continue;
    const fields = lines[at].split(',').map(pyStrip);
    if (fields.length === header.length) rows.push(fields);
  }
  return { header, rows };
}

export function readIndex(text: string, file: string): { header: string[]; rows: IndexRow[] } {
  const csv = readCsv(text, file);
  if (!csv.header.includes('Template')) throw new CliTableError("Index file does not have 'Template' column.");
  const rows = csv.rows.map((values, i): IndexRow => {
    const fields = new Map<string, string>();
    const compiled = new Map<string, PythonRegex>();
    csv.header.forEach((column, c) => {
      const value = column === 'Command' ? expandCompletion(values[c]) : values[c];
      fields.set(column, value);
      if (column === 'Template' || !value) return;
      try {
        compiled.set(column, PythonRegex.compile(value));
      } catch (err) {
        if (!(err instanceof PythonRegexError || err instanceof UnsupportedRegexError)) throw err;
        throw new CliTableError(`${file} row ${i + 1}, column ${column}: bad regex '${value}': ${err.message}`);
      }
    });
    return { row: i + 1, fields, compiled };
  });
  return { header: csv.header, rows };
}
