/**
 * TextFSM in TypeScript, behaving as Google's Python textfsm 1.1.0 (`textfsm.TextFSM`): the same template
 * language, the same records, the same errors. A compiled TextFsm is immutable and reusable: each parse starts
 * from the Start state with an empty record, as a fresh Python TextFSM does.
 */
import { Executor } from './python-regex';
import { pySplitLines } from './python-text';
import { TextFsmParseError } from './textfsm-errors';
import { Cell, RecordBuilder, ValueSpec } from './textfsm-record';
import { LineOp, RecordOp, RuleDef } from './textfsm-rule';
import { parseTemplate } from './textfsm-template';
import { ValueDef } from './textfsm-value';

/**
 * One parsed value. A List value is an array of strings, except where Python puts other things in it: the
 * dict of a List regex with named groups (an object here) and None for a value whose group did not take part
 * (null here). The declared type keeps to the common case the callers rely on.
 */
export type TextFsmValue = string | string[];

/** A rule ready to run: its RegExp and, per Value it sets, the JavaScript group to read. */
interface CompiledRule {
  /** The RegExp when it alone answers as Python would for the Values read (nearly always); else `exec`. */
  re: RegExp | null;
  exec: Executor;
  /** First characters a match can start with, by code (128: any non-ASCII); null: try every line. */
  first: Uint8Array | null;
  /** Pairs [jsGroup, valueIndex] in Python's groupdict order. */
  assign: number[];
  lineOp: LineOp;
  recordOp: RecordOp;
  /** Index into the state table; -1 for none, END or EOF. */
  next: number;
  nextName: string;
  def: RuleDef;
}

const END = -2;
const EOF = -3;

export class TextFsm {
  /** Value names, in order. */
  readonly header: string[];
  private readonly specs: ValueSpec[];
  /** Rules per state; index 0 is Start. */
  private readonly table: CompiledRule[][];
  private readonly hasEofState: boolean;
  private readonly keyFlags: boolean[];

  private constructor(values: ValueDef[], states: Map<string, RuleDef[]>) {
    this.header = values.map((v) => v.name);
    this.specs = values.map((v) => new ValueSpec(v));
    this.keyFlags = values.map((v) => v.options.includes('Key'));
    this.hasEofState = states.has('EOF');
    const names = ['Start', ...[...states.keys()].filter((s) => s !== 'Start')];
    const index = new Map(names.map((n, i) => [n, i]));
    this.table = names.map((n) => (states.get(n) as RuleDef[]).map((r) => this.compileRule(r, index)));
  }

  /** Names of the Values with the Key option (`GetValuesByAttrib('Key')`), which clitable merges tables by. */
  keyValues(): string[] {
    return this.header.filter((_, i) => this.keyFlags[i]);
  }

  /** Parses and compiles a template; throws TextFsmTemplateError as Python raises TextFSMTemplateError. */
  static compile(template: string): TextFsm {
    const def = parseTemplate(template);
    return new TextFsm(def.values, def.states);
  }

  private compileRule(def: RuleDef, states: Map<string, number>): CompiledRule {
    const assign: number[] = [];
    const read: number[] = [];
    for (const [name, group] of def.compiled.groupIndex) {
      const v = this.header.indexOf(name);
      if (v < 0) continue;
      assign.push(def.compiled.jsGroup(group), v);
      read.push(group);
    }
    const exec = def.compiled.executor(read);
    let next = -1;
    if (def.lineOp !== 'Error' && def.newState) {
      next = def.newState === 'End' ? END : def.newState === 'EOF' ? EOF : (states.get(def.newState) as number);
    }
    return { re: def.compiled.plainRegExp(read), exec, first: def.compiled.first, assign, lineOp: def.lineOp, recordOp: def.recordOp, next, nextName: def.newState, def };
  }

  /** Python's `ParseText(text)`: the rows, List values as arrays. Throws TextFsmParseError for an `Error` action. */
  parseText(text: string): TextFsmValue[][] {
    return this.run(text) as TextFsmValue[][];
  }

  /** Python's `ParseTextToDicts(text)`: each row keyed by the header. */
  parseTextToDicts(text: string): Record<string, TextFsmValue>[] {
    const header = this.header;
    return this.run(text).map((row) => {
      const out: Record<string, TextFsmValue> = {};
      for (let i = 0; i < header.length; i++) setKey(out, header[i], row[i] as TextFsmValue);
      return out;
    });
  }

  private run(text: string): Cell[][] {
    const record = new RecordBuilder(this.specs);
    let state = 0;
    let stopped = 0;
    for (const line of pySplitLines(text)) {
      state = this.checkLine(this.table[state], state, line, record);
      if (state < 0) {
        stopped = state;
        break;
      }
    }
    // The implicit EOF record, unless End was reached or an (empty) EOF state says otherwise.
    if (stopped !== END && !this.hasEofState) record.append();
    return record.result;
  }

  /** `_CheckLine`: the first rule that matches acts; Continue goes on to the next rule. Returns the next state. */
  private checkLine(rules: CompiledRule[], state: number, line: string, record: RecordBuilder): number {
    // Most rules fail on most lines: their first character rules many out before any RegExp runs.
    const c = line.length === 0 ? -1 : line.charCodeAt(0);
    const slot = c < 128 ? c : 128;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const first = rule.first;
      if (first !== null && (slot < 0 || first[slot] === 0)) continue;
      const m = rule.re !== null ? rule.re.exec(line) : rule.exec(line);
      if (m === null) continue;
      const assign = rule.assign;
      for (let a = 0; a < assign.length; a += 2) record.assign(assign[a + 1], m[assign[a]] ?? null);
      if (rule.recordOp === 'Record') record.append();
      else if (rule.recordOp === 'Clear') record.clear();
      else if (rule.recordOp === 'Clearall') record.clearAll();
      if (rule.lineOp === 'Error') throw parseError(rule.def, line);
      if (rule.lineOp === 'Continue') continue;
      return rule.next === -1 ? state : rule.next;
    }
    return state;
  }
}

function parseError(rule: RuleDef, line: string): TextFsmParseError {
  if (rule.newState) return new TextFsmParseError(`Error: ${rule.newState}. Rule Line: ${rule.lineNum}. Input Line: ${line}.`);
  return new TextFsmParseError(`State Error raised. Rule Line: ${rule.lineNum}. Input Line: ${line}`);
}

/** A plain property even for a Value named `__proto__`. */
function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
