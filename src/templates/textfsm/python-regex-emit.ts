/**
 * Writes a parsed Python pattern as JavaScript RegExp source with the `u` flag, spelling out what the two
 * dialects mean differently: Python's `.` stops only at `\n`, `$` also matches before a final `\n`, `\d \w \s \b`
 * are Unicode-aware, `\Z` is JavaScript's `$`. Atomic groups and possessive repeats become the
 * lookahead-plus-backreference idiom `(?=(X))\1`, which behaves atomically in a backtracking engine.
 */
import { FLAG, MAXREPEAT, PyNode, SetItem, TYPE_FLAGS, UnsupportedRegexError } from './python-regex-syntax';
import { PY_WORD_CLASS } from './python-text';

type Ranges = [number, number][];

const UNICODE_SPACE: Ranges = [
  [0x09, 0x0d], [0x1c, 0x20], [0x85, 0x85], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
];
const ASCII_SPACE: Ranges = [[0x09, 0x0d], [0x20, 0x20]];
const ASCII_WORD: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const ASCII_DIGIT: Ranges = [[0x30, 0x39]];

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

/** One code point as RegExp source (`u` mode), inside a class or not. */
function lit(c: number, inClass = false): string {
  if (c < 0x80) {
    const ch = String.fromCharCode(c);
    if (SYNTAX_CHARS.includes(ch) || (inClass && ch === '-')) return '\\' + ch;
    if (c >= 0x20 && c < 0x7f) return ch;
  }
  return `\\u{${c.toString(16)}}`;
}

function rangesSource(ranges: Ranges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? lit(lo, true) : `${lit(lo, true)}-${lit(hi, true)}`)).join('');
}

const UNICODE_ATOMS = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  s: rangesSource(UNICODE_SPACE),
  S: rangesSource(complement(UNICODE_SPACE)),
  w: PY_WORD_CLASS,
};
const ASCII_ATOMS = {
  d: rangesSource(ASCII_DIGIT),
  D: rangesSource(complement(ASCII_DIGIT)),
  s: rangesSource(ASCII_SPACE),
  S: rangesSource(complement(ASCII_SPACE)),
  w: rangesSource(ASCII_WORD),
  W: rangesSource(complement(ASCII_WORD)),
};

/** Python's Unicode `\b` and `\B` (neither matches anywhere in an empty string, as in Python 3.11). */
export const WORD = `[${PY_WORD_CLASS}]`;
const UNICODE_BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const UNICODE_NON_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD})(?!^$))`;
export const AW = `[${ASCII_ATOMS.w}]`;
const ASCII_BOUNDARY = `(?:(?<=${AW})(?!${AW})|(?<!${AW})(?=${AW}))`;
const ASCII_NON_BOUNDARY = `(?:(?<=${AW})(?=${AW})|(?<!${AW})(?!${AW})(?!^$))`;

export function combineFlags(flags: number, add: number, del: number): number {
  if (add & TYPE_FLAGS) flags &= ~TYPE_FLAGS;
  return (flags | add) & ~del;
}

function quantifier(min: number, max: number, lazy: boolean): string {
  let q: string;
  if (max === MAXREPEAT) q = min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  else if (min === 0 && max === 1) q = '?';
  else q = min === max ? `{${min}}` : `{${min},${max}}`;
  return lazy ? q + '?' : q;
}

export interface EmittedRegex {
  source: string;
  flags: string;
  /** JavaScript group number of each Python group (index 0 unused). */
  pyToJs: number[];
}

class Emitter {
  private jsGroups = 0;
  readonly pyToJs: number[] = [0];
  /** In success-only mode: whether a nested repeat was collapsed into one class. */
  collapsed = false;

  constructor(
    private readonly pattern: string,
    private readonly globalFlags: number,
    /** Only whether it matches counts: no captures, and `(a*b*)*` may become `[ab]*`. */
    private readonly successOnly = false,
  ) {}

  seq(nodes: PyNode[], flags: number, behind: boolean): string {
    let out = '';
    for (const n of nodes) out += this.node(n, flags, behind);
    return out;
  }

  private unsupported(construct: string): never {
    throw new UnsupportedRegexError(construct, this.pattern);
  }

  private node(n: PyNode, flags: number, behind: boolean): string {
    switch (n.op) {
      case 'lit':
      case 'notlit':
      case 'any':
      case 'in':
        return charNodeSource(n, flags);
      case 'at':
        return this.anchor(n.at, flags);
      case 'sub':
        return this.group(n.group, combineFlags(flags, n.add, n.del), n.body, behind);
      case 'atomic':
        if (behind) this.unsupported('atomic group (?>...) inside a lookbehind');
        return this.atomic(() => this.seq(n.body, flags, behind));
      case 'assert': {
        const open = (n.behind ? '(?<' : '(?') + (n.negate ? '!' : '=');
        return open + this.seq(n.body, flags, n.behind || behind) + ')';
      }
      case 'repeat':
        return this.repeat(n, flags, behind);
      case 'branch':
        return '(?:' + n.alts.map((a) => this.seq(a, flags, behind)).join('|') + ')';
      case 'groupref':
        return `(?:\\${this.pyToJs[n.group]})`;
      case 'condref':
        return this.unsupported('conditional group (?(id)yes|no)');
    }
  }

  private group(group: number | null, flags: number, body: PyNode[], behind: boolean): string {
    if ((flags & FLAG.IGNORECASE) !== (this.globalFlags & FLAG.IGNORECASE)) {
      this.unsupported('scoped case-insensitivity (?i:...) / (?-i:...)');
    }
    if (group === null || this.successOnly) return '(?:' + this.seq(body, flags, behind) + ')';
    this.pyToJs[group] = ++this.jsGroups;
    return '(' + this.seq(body, flags, behind) + ')';
  }

  private atomic(inner: () => string): string {
    const g = ++this.jsGroups;
    return `(?:(?=(${inner()}))\\${g})`;
  }

  private repeat(n: Extract<PyNode, { op: 'repeat' }>, flags: number, behind: boolean): string {
    if (this.successOnly && n.kind !== 'possessive' && n.max === MAXREPEAT && n.min <= 1) {
      // (a*b*)* matches what [ab]* matches, without the exponential backtracking when what follows fails.
      const items = starItems(n.body, flags);
      if (items !== null && items.length > 0) {
        this.collapsed = true;
        return classSource(false, items, flags) + '*';
      }
    }
    // Only a complete atom takes a quantifier as is: `(?:a+)?` must not become the lazy `a+?`.
    const simple = n.body.length === 1 && !['assert', 'at', 'repeat'].includes(n.body[0].op);
    const quantified = () => {
      const body = this.seq(n.body, flags, behind);
      return (simple ? body : `(?:${body})`) + quantifier(n.min, n.max, n.kind === 'lazy');
    };
    if (n.kind !== 'possessive') return quantified();
    if (behind) this.unsupported('possessive repeat inside a lookbehind');
    return this.atomic(quantified);
  }

  private anchor(at: Extract<PyNode, { op: 'at' }>['at'], flags: number): string {
    const ascii = (flags & FLAG.ASCII) !== 0;
    switch (at) {
      case 'begin':
        return flags & FLAG.MULTILINE ? '(?<![^\\n])' : '^';
      case 'end':
        return flags & FLAG.MULTILINE ? '(?![^\\n])' : '(?=\\n?$)';
      case 'beginString':
        return '^';
      case 'endString':
        return '$';
      case 'boundary':
        return ascii ? ASCII_BOUNDARY : UNICODE_BOUNDARY;
      case 'nonBoundary':
        return ascii ? ASCII_NON_BOUNDARY : UNICODE_NON_BOUNDARY;
    }
  }
}

/** A Python set; Unicode `\W` cannot join a `u`-mode class, so a set holding it becomes an alternation. */
export function classSource(negate: boolean, items: SetItem[], flags: number): string {
  const atoms = flags & FLAG.ASCII ? ASCII_ATOMS : UNICODE_ATOMS;
  let body = '';
  let hasW = false;
  for (const item of items) {
    if (item.k === 'lit') body += lit(item.c, true);
    else if (item.k === 'range') body += `${lit(item.lo, true)}-${lit(item.hi, true)}`;
    else if (item.cat === 'W' && !(flags & FLAG.ASCII)) hasW = true;
    else body += (atoms as Record<string, string>)[item.cat];
  }
  if (!hasW) return `[${negate ? '^' : ''}${body}]`;
  if (negate) return body ? `(?:(?![${body}])${WORD})` : WORD;
  return body ? `(?:[${body}]|[^${PY_WORD_CLASS}])` : `[^${PY_WORD_CLASS}]`;
}

/**
 * The characters of a body made only of single-character stars (`a*`, `[\\s-]*`, groups and branches of
 * those), whose repeat is then the star of their union; null for anything else. Unicode `\\W` is left out:
 * its class is an alternation, which a star would backtrack through.
 */
function starItems(nodes: PyNode[], flags: number): SetItem[] | null {
  const items: SetItem[] = [];
  for (const n of nodes) {
    let more: SetItem[] | null = null;
    if (n.op === 'repeat' && n.min === 0 && n.max === MAXREPEAT && n.kind !== 'possessive' && n.body.length === 1) {
      const c = n.body[0];
      if (c.op === 'lit') more = [{ k: 'lit', c: c.c }];
      else if (c.op === 'in' && !c.negate && !c.items.some((i) => i.k === 'cat' && i.cat === 'W' && !(flags & FLAG.ASCII))) more = c.items;
    } else if (n.op === 'sub' && n.add === 0 && n.del === 0) more = starItems(n.body, flags);
    else if (n.op === 'branch') {
      more = [];
      for (const alt of n.alts) {
        const a = starItems(alt, flags);
        if (a === null) return null;
        more.push(...a);
      }
    }
    if (more === null) return null;
    items.push(...more);
  }
  return items;
}

/** Source matching one character as a lit, notlit, any or in node does (the matcher of python-regex-sre reuses it). */
export function charNodeSource(n: PyNode, flags: number): string {
  switch (n.op) {
    case 'lit':
      return lit(n.c);
    case 'notlit':
      return `[^${lit(n.c, true)}]`;
    case 'any':
      return flags & FLAG.DOTALL ? '[\\s\\S]' : '[^\\n]';
    case 'in':
      return classSource(n.negate, n.items, flags);
    default:
      throw new Error(`internal: ${n.op} is not a one-character node`);
  }
}

/** JavaScript source for a parsed pattern, anchored at the start as `re.match` is. */
export function emitJavaScript(nodes: PyNode[], flags: number, pattern: string): EmittedRegex {
  if (flags & FLAG.TEMPLATE) throw new UnsupportedRegexError('the template flag (?t)', pattern);
  const emitter = new Emitter(pattern, flags);
  const body = emitter.seq(nodes, flags, false);
  return { source: `^(?:${body})`, flags: flags & FLAG.IGNORECASE ? 'iu' : 'u', pyToJs: emitter.pyToJs };
}

/** A RegExp source for "does it match" only (no groups), or null when it would be no faster than the full one. */
export function emitSuccessOnly(nodes: PyNode[], flags: number, pattern: string): string | null {
  const emitter = new Emitter(pattern, flags, true);
  const body = emitter.seq(nodes, flags, false);
  return emitter.collapsed ? `^(?:${body})` : null;
}
