/** A state's rule line `  ^regex -> Action NewState`, parsed as `TextFSMRule.__init__` does. */
import { PythonRegex, PythonRegexError, UnsupportedRegexError } from './python-regex';
import { TextFsmTemplateError } from './textfsm-errors';
import { PY_SPACE_CLASS, PY_WORD_CLASS, pyIsSpace, pyStrip } from './python-text';

export type LineOp = '' | 'Next' | 'Continue' | 'Error';
export type RecordOp = '' | 'Record' | 'NoRecord' | 'Clear' | 'Clearall';

export const LINE_OPS: readonly string[] = ['Continue', 'Next', 'Error'];
export const RECORD_OPS: readonly string[] = ['Clear', 'Clearall', 'Record', 'NoRecord'];

export interface RuleDef {
  /** The regex as written (before `${VALUE}` substitution). */
  match: string;
  /** After substitution: what is compiled. */
  regex: string;
  compiled: PythonRegex;
  lineOp: LineOp;
  recordOp: RecordOp;
  /** A state name, `End`/`EOF`, or with `Error` the message (quotes kept); '' for none. */
  newState: string;
  lineNum: number;
}

// Python's ACTION_RE, ACTION2_RE and ACTION3_RE with its Unicode \s and \w ('.' stops only at '\n').
const S = `[${PY_SPACE_CLASS}]`;
const NEW_STATE = `(?:${S}+([${PY_WORD_CLASS}]+|"[^\\n]*"))?$`;
const ACTION_RE = new RegExp(`^${S}+(Continue|Next|Error)(?:\\.(Clear|Clearall|Record|NoRecord))?${NEW_STATE}`, 'u');
const ACTION2_RE = new RegExp(`^${S}+(Clear|Clearall|Record|NoRecord)${NEW_STATE}`, 'u');
const ACTION3_RE = new RegExp(`^${NEW_STATE}`, 'u');
const WORD_START_RE = new RegExp(`^[${PY_WORD_CLASS}]`, 'u');

const IDENT_START = /[_A-Za-z]/;
const IDENT_REST = /^[_A-Za-z0-9]*/;

/**
 * `string.Template(s).substitute(map)`: `$$` is `$`, `$name` and `${name}` are looked up; anything else after
 * a `$` (and an unknown name) is an error, reported as null.
 */
export function substituteTemplate(s: string, map: ReadonlyMap<string, string>): string | null {
  let out = '';
  let i = 0;
  for (let at = s.indexOf('$'); at !== -1; at = s.indexOf('$', i)) {
    out += s.slice(i, at);
    const next = s.charAt(at + 1);
    let name: string | null = null;
    if (next === '$') {
      out += '$';
      i = at + 2;
      continue;
    }
    if (IDENT_START.test(next)) {
      name = next + (IDENT_REST.exec(s.slice(at + 2)) as RegExpExecArray)[0];
      i = at + 1 + name.length;
    } else if (next === '{' && IDENT_START.test(s.charAt(at + 2))) {
      const id = s.charAt(at + 2) + (IDENT_REST.exec(s.slice(at + 3)) as RegExpExecArray)[0];
      if (s.charAt(at + 2 + id.length) !== '}') return null;
      name = id;
      i = at + 3 + id.length;
    }
    if (name === null) return null;
    const value = map.get(name);
    if (value === undefined) return null;
    out += value;
  }
  return out + s.slice(i);
}

/** Where Python's `(?P<match>.*)(\s->(?P<action>.*))` splits: the last blank followed by `->`. */
function splitAction(line: string): { match: string; action: string | null } {
  for (let i = line.lastIndexOf('->'); i > 0; i = line.lastIndexOf('->', i - 1)) {
    if (pyIsSpace(line.charAt(i - 1))) return { match: line.slice(0, i - 1), action: line.slice(i + 2) };
  }
  return { match: line, action: null };
}

export function parseRuleLine(rawLine: string, lineNum: number, valueMap: ReadonlyMap<string, string>): RuleDef {
  const line = pyStrip(rawLine);
  if (!line) throw new TextFsmTemplateError(`Null data in FSMRule. Line: ${lineNum}`, lineNum);
  const { match, action } = splitAction(line);
  let regex = match;
  if (valueMap.size > 0) {
    const substituted = substituteTemplate(match, valueMap);
    if (substituted === null) {
      throw new TextFsmTemplateError(`Duplicate or invalid variable substitution: '${match}'. Line: ${lineNum}.`, lineNum);
    }
    regex = substituted;
  }
  const compiled = compileRuleRegex(regex, lineNum);
  const rule: RuleDef = { match, regex, compiled, lineOp: '', recordOp: '', newState: '', lineNum };
  if (action === null) return rule;
  const m = ACTION_RE.exec(action) ?? ACTION2_RE.exec(action) ?? ACTION3_RE.exec(action);
  if (m === null) throw new TextFsmTemplateError(`Badly formatted rule '${line}'. Line: ${lineNum}.`, lineNum);
  if (m.length === 4) {
    rule.lineOp = m[1] as LineOp;
    rule.recordOp = (m[2] ?? '') as RecordOp;
  } else if (m.length === 3) rule.recordOp = m[1] as RecordOp;
  rule.newState = m[m.length - 1] ?? '';
  if (rule.lineOp === 'Continue' && rule.newState) {
    throw new TextFsmTemplateError(`Action '${rule.lineOp}' with new state ${rule.newState} specified. Line: ${lineNum}.`, lineNum);
  }
  if (rule.lineOp !== 'Error' && rule.newState && !WORD_START_RE.test(rule.newState)) {
    throw new TextFsmTemplateError(`Alphanumeric characters only in state names. Line: ${lineNum}.`, lineNum);
  }
  return rule;
}

function compileRuleRegex(regex: string, lineNum: number): PythonRegex {
  try {
    return PythonRegex.compile(regex);
  } catch (err) {
    if (err instanceof UnsupportedRegexError) {
      throw new TextFsmTemplateError(`Unsupported regular expression: '${regex}' uses ${err.construct}. Line: ${lineNum}.`, lineNum);
    }
    if (err instanceof PythonRegexError) {
      throw new TextFsmTemplateError(`Invalid regular expression: '${regex}'. Line: ${lineNum}.`, lineNum);
    }
    throw err;
  }
}
