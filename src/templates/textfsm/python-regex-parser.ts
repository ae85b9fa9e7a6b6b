/**
 * Port of Python 3.11's `re/_parser.py` (`_parse_sub`, `_parse`, `_parse_flags`, `parse`) for `str` patterns:
 * the same tree shape where it matters, the same errors with the same messages and positions, then the one
 * compile-time check (`look-behind requires fixed-width pattern`).
 */
import { classEscape, EscapeCode, GroupState, patternEscape } from './python-regex-escapes';
import {
  DIGITS,
  FLAG,
  FLAG_LETTERS,
  GLOBAL_FLAGS,
  MAXREPEAT,
  PyNode,
  PythonRegexError,
  RepeatKind,
  SetItem,
  Tokenizer,
  TYPE_FLAGS,
  WHITESPACE,
} from './python-regex-syntax';
import { parseCharClass } from './python-regex-class';
import { nodesWidth } from './python-regex-width';
import { pyLen, pyReprStr } from './python-text';

export interface ParsedPattern {
  nodes: PyNode[];
  flags: number;
  /** Number of capturing groups (Python's `groups`). */
  groups: number;
  /** Group names in order of definition, as `groupindex`. */
  groupIndex: Map<string, number>;
}

const SPECIAL_CHARS = '.\\[{()*+?^$|';
const REPEAT_CHARS = '*+?{';

class ParseState implements GroupState {
  flags = 0;
  readonly groupdict = new Map<string, number>();
  /** Widths of closed groups; null while a group is open. Index 0 stands for the whole match. */
  readonly groupwidths: ([number, number] | null)[] = [null];
  lookbehindgroups: number | null = null;
  readonly grouprefpos = new Map<number, number>();

  get groups(): number {
    return this.groupwidths.length;
  }

  opengroup(name: string | null): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) {
        throw new Error(`redefinition of group name ${pyReprStr(name)} as group ${gid}; was group ${ogid}`);
      }
      this.groupdict.set(name, gid);
    }
    return gid;
  }

  closegroup(gid: number, p: PyNode[]): void {
    this.groupwidths[gid] = nodesWidth(p, this.groupwidths);
  }

  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] !== null;
  }

  checklookbehindgroup(gid: number, source: Tokenizer): void {
    if (this.lookbehindgroups === null) return;
    if (!this.checkgroup(gid)) throw source.error('cannot refer to an open group');
    if (gid >= this.lookbehindgroups) throw source.error('cannot refer to group defined in the same lookbehind subpattern');
  }
}

function parseSub(source: Tokenizer, state: ParseState, verbose: boolean, nested: number): PyNode[] {
  const items: PyNode[][] = [];
  for (;;) {
    items.push(parse(source, state, verbose, nested + 1, nested === 0 && items.length === 0));
    if (!source.match('|')) break;
    if (nested === 0) verbose = (state.flags & FLAG.VERBOSE) !== 0;
  }
  if (items.length === 1) return items[0];
  return [{ op: 'branch', alts: items }];
}

function escapeNode(code: EscapeCode): PyNode {
  switch (code.t) {
    case 'lit':
      return { op: 'lit', c: code.c };
    case 'cat':
      return { op: 'in', negate: false, items: [{ k: 'cat', cat: code.cat }] };
    case 'at':
      return { op: 'at', at: code.at };
    case 'groupref':
      return { op: 'groupref', group: code.group };
  }
}

function parse(source: Tokenizer, state: ParseState, verbose: boolean, nested: number, first = false): PyNode[] {
  const subpattern: PyNode[] = [];
  for (;;) {
    const tok = source.next;
    if (tok === null) break;
    if (tok === '|' || tok === ')') break;
    source.get();
    if (verbose) {
      if (WHITESPACE.includes(tok)) continue;
      if (tok === '#') {
        for (;;) {
          const c = source.get();
          if (c === null || c === '\n') break;
        }
        continue;
      }
    }
    if (tok[0] === '\\') {
      subpattern.push(escapeNode(patternEscape(source, tok, state)));
    } else if (!SPECIAL_CHARS.includes(tok)) {
      subpattern.push({ op: 'lit', c: tok.codePointAt(0) as number });
    } else if (tok === '[') {
      subpattern.push(classNode(source));
    } else if (REPEAT_CHARS.includes(tok)) {
      if (!parseRepeat(source, subpattern, tok)) subpattern.push({ op: 'lit', c: 0x7b });
    } else if (tok === '.') {
      subpattern.push({ op: 'any' });
    } else if (tok === '(') {
      const node = parseGroup(source, state, verbose, nested, first, subpattern.length > 0);
      if (node === 'flags') verbose = (state.flags & FLAG.VERBOSE) !== 0;
      else if (node !== null) subpattern.push(node);
    } else if (tok === '^') {
      subpattern.push({ op: 'at', at: 'begin' });
    } else if (tok === '$') {
      subpattern.push({ op: 'at', at: 'end' });
    }
  }
  return subpattern;
}

function classNode(source: Tokenizer): PyNode {
  const { negate, items } = parseCharClass(source, (s, e) => classEscape(s, e));
  if (items.length === 1 && items[0].k === 'lit') {
    return negate ? { op: 'notlit', c: items[0].c } : { op: 'lit', c: items[0].c };
  }
  return { op: 'in', negate, items: items as SetItem[] };
}

/** Applies `* + ? {m,n}` to the last item; false when `{` turns out to be a literal. */
function parseRepeat(source: Tokenizer, subpattern: PyNode[], tok: string): boolean {
  const here = source.tell();
  let min = 0;
  let max = MAXREPEAT;
  if (tok === '?') max = 1;
  else if (tok === '+') min = 1;
  else if (tok === '{') {
    if (source.next === '}') return false;
    let lo = '';
    let hi = '';
    while (source.next !== null && DIGITS.includes(source.next) && source.next.length === 1) lo += source.get();
    if (source.match(',')) {
      while (source.next !== null && DIGITS.includes(source.next) && source.next.length === 1) hi += source.get();
    } else hi = lo;
    if (!source.match('}')) {
      source.seek(here);
      return false;
    }
    if (lo) {
      min = Number(lo);
      if (min >= MAXREPEAT) throw new PythonRegexError('the repetition number is too large', source.pattern, null, 'OverflowError');
    }
    if (hi) {
      max = Number(hi);
      if (max >= MAXREPEAT) throw new PythonRegexError('the repetition number is too large', source.pattern, null, 'OverflowError');
      if (max < min) throw source.error('min repeat greater than max repeat', source.tell() - here);
    }
  }
  const last = subpattern[subpattern.length - 1];
  if (last === undefined || last.op === 'at') throw source.error('nothing to repeat', source.tell() - here + tok.length);
  if (last.op === 'repeat') throw source.error('multiple repeat', source.tell() - here + tok.length);
  const body = last.op === 'sub' && last.group === null && last.add === 0 && last.del === 0 ? last.body : [last];
  let kind: RepeatKind = 'greedy';
  if (source.match('?')) kind = 'lazy';
  else if (source.match('+')) kind = 'possessive';
  subpattern[subpattern.length - 1] = { op: 'repeat', min, max, kind, body };
  return true;
}

/** `(`...: a group, an assertion, a comment (null), global flags ('flags') or a back reference. */
function parseGroup(
  source: Tokenizer,
  state: ParseState,
  verbose: boolean,
  nested: number,
  first: boolean,
  hasItems: boolean,
): PyNode | null | 'flags' {
  const start = source.tell() - 1;
  let capture = true;
  let atomic = false;
  let name: string | null = null;
  let add = 0;
  let del = 0;
  if (source.match('?')) {
    const char = source.get();
    if (char === null) throw source.error('unexpected end of pattern');
    if (char === 'P') {
      if (source.match('<')) {
        name = source.getuntil('>', 'group name');
        source.checkgroupname(name, 1);
      } else if (source.match('=')) {
        return namedBackref(source, state);
      } else {
        const c = source.get();
        if (c === null) throw source.error('unexpected end of pattern');
        throw source.error('unknown extension ?P' + c, pyLen(c) + 2);
      }
    } else if (char === ':') {
      capture = false;
    } else if (char === '#') {
      for (;;) {
        if (source.next === null) throw source.error('missing ), unterminated comment', source.tell() - start);
        if (source.get() === ')') break;
      }
      return null;
    } else if (char === '=' || char === '!' || char === '<') {
      return parseLookaround(source, state, verbose, nested, start, char);
    } else if (char === '(') {
      return parseConditional(source, state, verbose, nested, start);
    } else if (char === '>') {
      capture = false;
      atomic = true;
    } else if (char in FLAG_LETTERS || char === '-') {
      const flags = parseFlags(source, state, char);
      if (flags === null) {
        if (!first || hasItems) throw source.error('global flags not at the start of the expression', source.tell() - start);
        return 'flags';
      }
      [add, del] = flags;
      capture = false;
    } else {
      throw source.error('unknown extension ?' + char, pyLen(char) + 1);
    }
  }
  let group: number | null = null;
  if (capture) {
    try {
      group = state.opengroup(name);
    } catch (err) {
      throw source.error((err as Error).message, pyLen(name ?? '') + 1);
    }
  }
  const subVerbose = (verbose || (add & FLAG.VERBOSE) !== 0) && (del & FLAG.VERBOSE) === 0;
  const p = parseSub(source, state, subVerbose, nested + 1);
  if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
  if (group !== null) state.closegroup(group, p);
  if (atomic) return { op: 'atomic', body: p };
  return { op: 'sub', group, add, del, body: p };
}

function namedBackref(source: Tokenizer, state: ParseState): PyNode {
  const name = source.getuntil(')', 'group name');
  source.checkgroupname(name, 1);
  const gid = state.groupdict.get(name);
  if (gid === undefined) throw source.error(`unknown group name ${pyReprStr(name)}`, pyLen(name) + 1);
  if (!state.checkgroup(gid)) throw source.error('cannot refer to an open group', pyLen(name) + 1);
  state.checklookbehindgroup(gid, source);
  return { op: 'groupref', group: gid };
}

function parseLookaround(source: Tokenizer, state: ParseState, verbose: boolean, nested: number, start: number, char: string): PyNode {
  let behind = false;
  let kind = char;
  let outerLookbehind: number | null = null;
  if (char === '<') {
    const c = source.get();
    if (c === null) throw source.error('unexpected end of pattern');
    if (c !== '=' && c !== '!') throw source.error('unknown extension ?<' + c, pyLen(c) + 2);
    kind = c;
    behind = true;
    outerLookbehind = state.lookbehindgroups;
    if (outerLookbehind === null) state.lookbehindgroups = state.groups;
  }
  const p = parseSub(source, state, verbose, nested + 1);
  if (behind && outerLookbehind === null) state.lookbehindgroups = null;
  if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
  return { op: 'assert', behind, negate: kind === '!', body: p };
}

function parseConditional(source: Tokenizer, state: ParseState, verbose: boolean, nested: number, start: number): PyNode {
  const condname = source.getuntil(')', 'group name');
  let group: number;
  if (/^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(condname)) {
    const gid = state.groupdict.get(condname);
    if (gid === undefined) throw source.error(`unknown group name ${pyReprStr(condname)}`, pyLen(condname) + 1);
    group = gid;
  } else {
    if (!/^[0-9]+$/.test(condname.trim()) || condname !== condname.trim()) {
      throw source.error(`bad character in group name ${pyReprStr(condname)}`, pyLen(condname) + 1);
    }
    group = Number(condname);
    if (!group) throw source.error('bad group number', pyLen(condname) + 1);
    if (!state.grouprefpos.has(group)) state.grouprefpos.set(group, source.tell() - pyLen(condname) - 1);
  }
  state.checklookbehindgroup(group, source);
  const yes = parse(source, state, verbose, nested + 1);
  let no: PyNode[] | null = null;
  if (source.match('|')) {
    no = parse(source, state, verbose, nested + 1);
    if (source.next === '|') throw source.error('conditional backref with more than two branches');
  }
  if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
  return { op: 'condref', group, yes, no };
}

/** `_parse_flags`: null for global flags `(?i)`, else the scoped `[add, del]` of `(?i-s:...)`. */
function parseFlags(source: Tokenizer, state: ParseState, first: string): [number, number] | null {
  let char: string | null = first;
  let add = 0;
  let del = 0;
  if (char !== '-') {
    for (;;) {
      const flag: number = FLAG_LETTERS[char];
      if (char === 'L') throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      char = source.get();
      if (char === null) throw source.error('missing -, : or )');
      if (char === ')' || char === '-' || char === ':') break;
      if (!(char in FLAG_LETTERS)) throw source.error(/^\p{L}+$/u.test(char) ? 'unknown flag' : 'missing -, : or )', pyLen(char));
    }
  }
  if (char === ')') {
    state.flags |= add;
    return null;
  }
  if (add & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn on global flag', 1);
  if (char === '-') {
    char = source.get();
    if (char === null) throw source.error('missing flag');
    if (!(char in FLAG_LETTERS)) throw source.error(/^\p{L}+$/u.test(char) ? 'unknown flag' : 'missing flag', pyLen(char));
    for (;;) {
      const flag: number = FLAG_LETTERS[char];
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del |= flag;
      char = source.get();
      if (char === null) throw source.error('missing :');
      if (char === ':') break;
      if (!(char in FLAG_LETTERS)) throw source.error(/^\p{L}+$/u.test(char) ? 'unknown flag' : 'missing :', pyLen(char));
    }
  }
  if (del & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn off global flag', 1);
  if (add & del) throw source.error('bad inline flags: flag turned on and off', 1);
  return [add, del];
}

/** Lookbehinds must have one width (the check `re._compiler` makes). */
function checkLookbehinds(nodes: PyNode[], widths: ([number, number] | null)[]): void {
  for (const n of nodes) {
    switch (n.op) {
      case 'assert':
        if (n.behind) {
          const [lo, hi] = nodesWidth(n.body, widths);
          if (lo !== hi) throw new PythonRegexError('look-behind requires fixed-width pattern', '', null);
        }
        checkLookbehinds(n.body, widths);
        break;
      case 'sub':
      case 'atomic':
      case 'repeat':
        checkLookbehinds(n.body, widths);
        break;
      case 'branch':
        n.alts.forEach((a) => checkLookbehinds(a, widths));
        break;
      case 'condref':
        checkLookbehinds(n.yes, widths);
        if (n.no) checkLookbehinds(n.no, widths);
        break;
      default:
        break;
    }
  }
}

/** `re.compile(pattern, flags)` up to (and including) Python's own errors; nothing JavaScript-specific here. */
export function parsePythonPattern(pattern: string, flags = 0): ParsedPattern {
  const source = new Tokenizer(pattern);
  const state = new ParseState();
  state.flags = flags;
  const nodes = parseSub(source, state, (flags & FLAG.VERBOSE) !== 0, 0);
  if ((state.flags & FLAG.ASCII) === 0) state.flags |= FLAG.UNICODE;
  else if (state.flags & FLAG.UNICODE) throw new PythonRegexError('ASCII and UNICODE flags are incompatible', pattern, null, 'ValueError');
  if (source.next !== null) throw source.error('unbalanced parenthesis');
  for (const [g, pos] of state.grouprefpos) {
    if (g >= state.groups) throw new PythonRegexError(`invalid group reference ${g}`, pattern, pos);
  }
  checkLookbehinds(nodes, state.groupwidths);
  return { nodes, flags: state.flags, groups: state.groups - 1, groupIndex: state.groupdict };
}
