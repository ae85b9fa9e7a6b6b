/**
 * The pieces of Python 3.11's `re` parser (`re/_parser.py`) that the converter ports: flags, the parsed tree,
 * `re.error` with Python's message and position, and the tokenizer (escapes arrive as one token, positions
 * count code points as Python's indices do).
 */
import { pyLen, pyReprStr } from './python-text';

export const FLAG = {
  TEMPLATE: 1,
  IGNORECASE: 2,
  LOCALE: 4,
  MULTILINE: 8,
  DOTALL: 16,
  UNICODE: 32,
  VERBOSE: 64,
  ASCII: 256,
} as const;

export const FLAG_LETTERS: Readonly<Record<string, number>> = {
  i: FLAG.IGNORECASE,
  L: FLAG.LOCALE,
  m: FLAG.MULTILINE,
  s: FLAG.DOTALL,
  x: FLAG.VERBOSE,
  a: FLAG.ASCII,
  t: FLAG.TEMPLATE,
  u: FLAG.UNICODE,
};
export const TYPE_FLAGS = FLAG.ASCII | FLAG.LOCALE | FLAG.UNICODE;
export const GLOBAL_FLAGS = FLAG.TEMPLATE;

/** `_sre.MAXREPEAT`: a repeat bound this big means "no upper bound". */
export const MAXREPEAT = 4294967295;

export type Category = 'd' | 'D' | 's' | 'S' | 'w' | 'W';
export type At = 'begin' | 'end' | 'beginString' | 'endString' | 'boundary' | 'nonBoundary';
export type SetItem = { k: 'lit'; c: number } | { k: 'range'; lo: number; hi: number } | { k: 'cat'; cat: Category };
export type RepeatKind = 'greedy' | 'lazy' | 'possessive';

export type PyNode =
  | { op: 'lit'; c: number }
  | { op: 'notlit'; c: number }
  | { op: 'any' }
  | { op: 'in'; negate: boolean; items: SetItem[] }
  | { op: 'at'; at: At }
  | { op: 'sub'; group: number | null; add: number; del: number; body: PyNode[] }
  | { op: 'atomic'; body: PyNode[] }
  | { op: 'assert'; behind: boolean; negate: boolean; body: PyNode[] }
  | { op: 'repeat'; min: number; max: number; kind: RepeatKind; body: PyNode[] }
  | { op: 'branch'; alts: PyNode[][] }
  | { op: 'groupref'; group: number }
  | { op: 'condref'; group: number; yes: PyNode[]; no: PyNode[] | null };

/**
 * What Python raises for a pattern: `re.error` (`str()` gives "msg at position N"), or for a repeat bound
 * past MAXREPEAT an `OverflowError`, or for clashing type flags a `ValueError`.
 */
export class PythonRegexError extends Error {
  constructor(
    readonly pyMessage: string,
    readonly pattern: string,
    readonly pos: number | null,
    readonly pyClass: 're.error' | 'OverflowError' | 'ValueError' = 're.error',
  ) {
    super(PythonRegexError.format(pyMessage, pattern, pos));
    this.name = 'PythonRegexError';
  }

  private static format(msg: string, pattern: string, pos: number | null): string {
    if (pos === null) return msg;
    const cps = Array.from(pattern);
    let text = `${msg} at position ${pos}`;
    if (pattern.includes('\n')) {
      const before = cps.slice(0, pos);
      const line = before.filter((c) => c === '\n').length + 1;
      const column = pos - before.lastIndexOf('\n');
      text += ` (line ${line}, column ${column})`;
    }
    return text;
  }
}

/** A construct Python accepts that JavaScript's RegExp on Node 20 cannot express with the same meaning. */
export class UnsupportedRegexError extends Error {
  constructor(
    readonly construct: string,
    readonly pattern: string,
  ) {
    super(`unsupported in JavaScript: ${construct}`);
    this.name = 'UnsupportedRegexError';
  }
}

/** Port of `_parser.Tokenizer` for `str` patterns. */
export class Tokenizer {
  private readonly cps: string[];
  private index = 0;
  private nextLen = 0;
  next: string | null = null;

  constructor(readonly pattern: string) {
    this.cps = Array.from(pattern);
    this.advance();
  }

  private advance(): void {
    let index = this.index;
    if (index >= this.cps.length) {
      this.next = null;
      this.nextLen = 0;
      return;
    }
    let char = this.cps[index];
    if (char === '\\') {
      index += 1;
      if (index >= this.cps.length) throw new PythonRegexError('bad escape (end of pattern)', this.pattern, this.cps.length - 1);
      char += this.cps[index];
    }
    this.nextLen = index + 1 - this.index;
    this.index = index + 1;
    this.next = char;
  }

  match(char: string): boolean {
    if (char === this.next) {
      this.advance();
      return true;
    }
    return false;
  }

  get(): string | null {
    const t = this.next;
    this.advance();
    return t;
  }

  getwhile(n: number, charset: string): string {
    let result = '';
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === null || c.length !== 1 || !charset.includes(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }

  getuntil(terminator: string, name: string): string {
    let result = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (!result) throw this.error('missing ' + name);
        throw this.error(`missing ${terminator}, unterminated name`, pyLen(result));
      }
      if (c === terminator) {
        if (!result) throw this.error('missing ' + name, 1);
        break;
      }
      result += c;
    }
    return result;
  }

  tell(): number {
    return this.index - this.nextLen;
  }

  seek(index: number): void {
    this.index = index;
    this.advance();
  }

  error(msg: string, offset = 0): PythonRegexError {
    return new PythonRegexError(msg, this.pattern, this.tell() - offset);
  }

  checkgroupname(name: string, offset: number): void {
    if (!isIdentifier(name)) throw this.error(`bad character in group name ${pyReprStr(name)}`, pyLen(name) + offset);
  }
}

const IDENTIFIER_RE = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;

/** `str.isidentifier()`. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER_RE.test(name);
}

export const DIGITS = '0123456789';
export const OCTDIGITS = '01234567';
export const HEXDIGITS = '0123456789abcdefABCDEF';
export const ASCIILETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const WHITESPACE = ' \t\n\r\v\f';
