/**
 * Parses a TextFSM template the way Python's `TextFSM._Parse` does: the Value block up to the first blank line,
 * then states (a name line, rules up to a blank line), then the checks of `_ValidateFSM`. Every error is the
 * `TextFSMTemplateError` Python raises, with its message.
 */
import { TextFsmTemplateError } from './textfsm-errors';
import { LINE_OPS, parseRuleLine, RECORD_OPS, RuleDef } from './textfsm-rule';
import { MAX_NAME_LEN, parseValueLine, ValueDef } from './textfsm-value';
import { PY_SPACE_CLASS, PY_WORD_CLASS, pyLen, pyRstrip } from './python-text';

export interface TemplateDef {
  values: ValueDef[];
  /** Rules by state, in definition order; `End` (which must be empty) is dropped as Python drops it. */
  states: Map<string, RuleDef[]>;
}

const COMMENT_RE = new RegExp(`^[${PY_SPACE_CLASS}]*#`, 'u');
const STATE_NAME_RE = new RegExp(`^[${PY_WORD_CLASS}]+$`, 'u');

/** Lines as iterating an `io.StringIO` yields them: split after each `\n` only. */
class LineReader {
  private readonly lines: string[];
  private index = 0;
  lineNum = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    if (this.lines[this.lines.length - 1] === '') this.lines.pop();
  }

  /** The next line right-stripped, or null at the end. */
  next(): string | null {
    if (this.index >= this.lines.length) return null;
    this.lineNum++;
    return pyRstrip(this.lines[this.index++]);
  }
}

function parseValues(reader: LineReader): { values: ValueDef[]; valueMap: Map<string, string> } {
  const values: ValueDef[] = [];
  const valueMap = new Map<string, string>();
  for (let line = reader.next(); line !== null; line = reader.next()) {
    if (!line) break;
    if (COMMENT_RE.test(line)) continue;
    const n = reader.lineNum;
    if (line.startsWith('Value ')) {
      let value: ValueDef;
      try {
        value = parseValueLine(line);
      } catch (err) {
        if (err instanceof TextFsmTemplateError) throw new TextFsmTemplateError(`${err.message} Line ${n}.`, n);
        throw err;
      }
      if (values.some((v) => v.name === value.name)) {
        throw new TextFsmTemplateError(`Duplicate declarations for Value '${value.name}'. Line: ${n}.`, n);
      }
      values.push(value);
      valueMap.set(value.name, value.template);
    } else if (values.length === 0) {
      throw new TextFsmTemplateError('No Value definitions found.', n);
    } else {
      throw new TextFsmTemplateError(`Expected blank line after last Value entry. Line: ${n}.`, n);
    }
  }
  return { values, valueMap };
}

/** One state: its name and rules; null when only blank and comment lines remain. */
function parseState(reader: LineReader, states: Map<string, RuleDef[]>, valueMap: Map<string, string>): boolean {
  let name: string | null = null;
  for (let line = reader.next(); line !== null; line = reader.next()) {
    if (!line || COMMENT_RE.test(line)) continue;
    const n = reader.lineNum;
    if (!STATE_NAME_RE.test(line) || pyLen(line) > MAX_NAME_LEN || LINE_OPS.includes(line) || RECORD_OPS.includes(line)) {
      throw new TextFsmTemplateError(`Invalid state name: '${line}'. Line: ${n}`, n);
    }
    if (states.has(line)) throw new TextFsmTemplateError(`Duplicate state name: '${line}'. Line: ${n}`, n);
    name = line;
    break;
  }
  if (name === null) return false;
  const rules: RuleDef[] = [];
  states.set(name, rules);
  for (let line = reader.next(); line !== null; line = reader.next()) {
    if (!line) break;
    if (COMMENT_RE.test(line)) continue;
    const n = reader.lineNum;
    if (!(line.startsWith(' ^') || line.startsWith('  ^') || line.startsWith('\t^'))) {
      throw new TextFsmTemplateError(`Missing white space or carat ('^') before rule. Line: ${n}`, n);
    }
    rules.push(parseRuleLine(line, n, valueMap));
  }
  return true;
}

function validate(states: Map<string, RuleDef[]>): void {
  if (!states.has('Start')) throw new TextFsmTemplateError("Missing state 'Start'.");
  if (states.get('End')?.length) throw new TextFsmTemplateError("Non-Empty 'End' state.");
  if (states.get('EOF')?.length) throw new TextFsmTemplateError("Non-Empty 'EOF' state.");
  states.delete('End');
  for (const [state, rules] of states) {
    for (const rule of rules) {
      if (rule.lineOp === 'Error') continue;
      if (!rule.newState || rule.newState === 'End' || rule.newState === 'EOF') continue;
      if (!states.has(rule.newState)) {
        throw new TextFsmTemplateError(`State '${rule.newState}' not found, referenced in state '${state}'`, rule.lineNum);
      }
    }
  }
}

export function parseTemplate(text: string): TemplateDef {
  const reader = new LineReader(text);
  const { values, valueMap } = parseValues(reader);
  const states = new Map<string, RuleDef[]>();
  while (parseState(reader, states, valueMap));
  validate(states);
  return { values, states };
}
