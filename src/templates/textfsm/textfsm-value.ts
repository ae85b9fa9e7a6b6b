/** A template's `Value [Options] NAME (regex)` line, parsed as `TextFSMValue.Parse` does. */
import { PythonRegex, PythonRegexError, UnsupportedRegexError } from './python-regex';
import { TextFsmTemplateError } from './textfsm-errors';
import { pyLen } from './python-text';

/**
 * The options Python's `TextFSMOptions` answers to. `OptionBase` is there because Python looks options up with
 * `getattr` on the options class, so the base class name is accepted and does nothing.
 */
export type ValueOption = 'Required' | 'Filldown' | 'Fillup' | 'Key' | 'List' | 'OptionBase';
const OPTIONS: ReadonlySet<string> = new Set<ValueOption>(['Required', 'Filldown', 'Fillup', 'Key', 'List', 'OptionBase']);

export const MAX_NAME_LEN = 48;

export interface ValueDef {
  name: string;
  /** The regex as written, `(...)`. */
  regex: string;
  /** The regex with its first `(` made the named group `(?P<name>`: what `${name}` in a rule becomes. */
  template: string;
  options: ValueOption[];
  /** For a List value: its regex compiled alone, matched again on each captured value for nested groups. */
  listRegex: PythonRegex | null;
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Errors here carry Python's text without the " Line N." the template parser appends. */
export function parseValueLine(line: string): ValueDef {
  const tokens = line.split(' ');
  if (tokens.length < 3) throw new TextFsmTemplateError('Expect at least 3 tokens on line.');
  const options: ValueOption[] = [];
  let name: string;
  let regex: string;
  if (!tokens[2].startsWith('(')) {
    for (const option of tokens[1].split(',')) {
      if (options.includes(option as ValueOption)) throw new TextFsmTemplateError(`Duplicate option "${option}"`);
      if (!OPTIONS.has(option)) throw new TextFsmTemplateError(`Unknown option "${option}"`);
      options.push(option as ValueOption);
    }
    name = tokens[2];
    regex = tokens.slice(3).join(' ');
  } else {
    name = tokens[1];
    regex = tokens.slice(2).join(' ');
  }
  if (pyLen(name) > MAX_NAME_LEN) throw new TextFsmTemplateError(`Invalid Value name '${name}' or name too long.`);
  if (!(regex.length >= 2 && regex.startsWith('(') && regex.endsWith(')')) || countChar(regex, '(') !== countChar(regex, ')')) {
    throw new TextFsmTemplateError(`Value '${regex}' must be contained within a '()' pair.`);
  }
  // Python builds this with re.sub, whose replacement string would read escapes in the name: refuse those.
  if (name.includes('\\')) throw new TextFsmTemplateError(`Invalid Value name '${name}': a backslash in a name is not supported.`);
  const template = `(?P<${name}>` + regex.slice(1);
  let listRegex: PythonRegex | null = null;
  if (options.includes('List')) {
    try {
      listRegex = PythonRegex.compile(regex);
    } catch (err) {
      if (err instanceof PythonRegexError || err instanceof UnsupportedRegexError) throw new TextFsmTemplateError(err.message);
      throw err;
    }
  }
  return { name, regex, template, options, listRegex };
}
