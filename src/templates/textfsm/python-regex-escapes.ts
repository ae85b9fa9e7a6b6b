/**
 * Python's escape rules (`_escape` and `_class_escape` of `re/_parser.py`): which `\x` sequences are literals,
 * categories, anchors or group references, and which are errors ("bad escape \q").
 */
import {
  ASCIILETTERS,
  At,
  Category,
  DIGITS,
  HEXDIGITS,
  OCTDIGITS,
  Tokenizer,
  UnsupportedRegexError,
} from './python-regex-syntax';
import { pyLen } from './python-text';

export type EscapeCode =
  | { t: 'lit'; c: number }
  | { t: 'cat'; cat: Category }
  | { t: 'at'; at: At }
  | { t: 'groupref'; group: number };

const ESCAPES: Readonly<Record<string, number>> = {
  '\\a': 7,
  '\\b': 8,
  '\\f': 12,
  '\\n': 10,
  '\\r': 13,
  '\\t': 9,
  '\\v': 11,
  '\\\\': 92,
};

const CATEGORIES: Readonly<Record<string, Category>> = {
  '\\d': 'd',
  '\\D': 'D',
  '\\s': 's',
  '\\S': 'S',
  '\\w': 'w',
  '\\W': 'W',
};

const ANCHORS: Readonly<Record<string, At>> = {
  '\\A': 'beginString',
  '\\b': 'boundary',
  '\\B': 'nonBoundary',
  '\\Z': 'endString',
};

/** Parse state an escape needs: which groups exist and are closed, and lookbehind bookkeeping. */
export interface GroupState {
  readonly groups: number;
  checkgroup(gid: number): boolean;
  checklookbehindgroup(gid: number, source: Tokenizer): void;
}

/** `\x..`, `\u....`, `\U........` and `\N{...}`, shared by both contexts; null when `escape` is none of them. */
function numericEscape(source: Tokenizer, escape: string): EscapeCode | null {
  const c = escape.slice(1, 2);
  const widths: Record<string, number> = { x: 2, u: 4, U: 8 };
  const width = widths[c];
  if (width !== undefined) {
    escape += source.getwhile(width, HEXDIGITS);
    if (escape.length !== width + 2) throw source.error(`incomplete escape ${escape}`, escape.length);
    const code = parseInt(escape.slice(2), 16);
    // chr() refuses it: Python's ValueError becomes "bad escape"
    if (code > 0x10ffff) throw source.error(`bad escape ${escape}`, escape.length);
    return { t: 'lit', c: code };
  }
  if (c === 'N') {
    if (!source.match('{')) throw source.error('missing {');
    const name = source.getuntil('}', 'character name');
    // No Unicode name table in JavaScript: refuse plainly instead of guessing.
    throw new UnsupportedRegexError(`named Unicode escape \\N{${name}}`, source.pattern);
  }
  return null;
}

function letterOrLiteral(source: Tokenizer, escape: string): EscapeCode {
  const c = escape.slice(1);
  if (pyLen(escape) === 2) {
    if (ASCIILETTERS.includes(c)) throw source.error(`bad escape ${escape}`, pyLen(escape));
    return { t: 'lit', c: c.codePointAt(0) as number };
  }
  throw source.error(`bad escape ${escape}`, pyLen(escape));
}

/** `_class_escape`: an escape inside `[...]`. */
export function classEscape(source: Tokenizer, escape: string): EscapeCode {
  if (escape in ESCAPES) return { t: 'lit', c: ESCAPES[escape] };
  if (escape in CATEGORIES) return { t: 'cat', cat: CATEGORIES[escape] };
  const numeric = numericEscape(source, escape);
  if (numeric) return numeric;
  const c = escape.slice(1, 2);
  if (OCTDIGITS.includes(c) && c.length === 1) {
    escape += source.getwhile(2, OCTDIGITS);
    const code = parseInt(escape.slice(1), 8);
    if (code > 0o377) throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
    return { t: 'lit', c: code };
  }
  if (DIGITS.includes(c) && c.length === 1) throw source.error(`bad escape ${escape}`, escape.length);
  return letterOrLiteral(source, escape);
}

/** `_escape`: an escape outside a class, where `\1` may be a group reference. */
export function patternEscape(source: Tokenizer, escape: string, state: GroupState): EscapeCode {
  if (escape in CATEGORIES) return { t: 'cat', cat: CATEGORIES[escape] };
  if (escape in ANCHORS) return { t: 'at', at: ANCHORS[escape] };
  if (escape in ESCAPES) return { t: 'lit', c: ESCAPES[escape] };
  const numeric = numericEscape(source, escape);
  if (numeric) return numeric;
  const c = escape.slice(1, 2);
  if (c === '0') {
    escape += source.getwhile(2, OCTDIGITS);
    return { t: 'lit', c: parseInt(escape.slice(1), 8) };
  }
  if (DIGITS.includes(c) && c.length === 1) return digitEscape(source, escape, state);
  return letterOrLiteral(source, escape);
}

/** "octal escape *or* decimal group reference (sigh)", as the original says. */
function digitEscape(source: Tokenizer, escape: string, state: GroupState): EscapeCode {
  const next = source.next;
  if (next !== null && next.length === 1 && DIGITS.includes(next)) {
    escape += source.get();
    const third = source.next;
    if (OCTDIGITS.includes(escape[1]) && OCTDIGITS.includes(escape[2]) && third !== null && third.length === 1 && OCTDIGITS.includes(third)) {
      escape += source.get();
      const code = parseInt(escape.slice(1), 8);
      if (code > 0o377) throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
      return { t: 'lit', c: code };
    }
  }
  const group = parseInt(escape.slice(1), 10);
  if (group < state.groups) {
    if (!state.checkgroup(group)) throw source.error('cannot refer to an open group', escape.length);
    state.checklookbehindgroup(group, source);
    return { t: 'groupref', group };
  }
  throw source.error(`invalid group reference ${group}`, escape.length - 1);
}

