/** Python's string primitives (whitespace, split, strip, splitlines, center) shared by methods and filters. */
import { pyRaise } from './py-values';

/** Python's `str.isspace()` characters (JS `\s` differs: it has U+FEFF and lacks U+001C-U+001F, U+0085). */
export const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`);
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

function charClass(chars: string): RegExp {
  return new RegExp(`[${chars.replace(/[\\\]^-]/g, '\\$&')}]`, 'u');
}

export function pyStrip(s: string, chars: string | null | undefined, side: 'both' | 'left' | 'right'): string {
  const cls = chars === null || chars === undefined ? new RegExp(`[${PY_SPACE}]`) : chars === '' ? null : charClass(chars);
  if (!cls) return s;
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  if (side !== 'right') while (start < end && cls.test(cps[start])) start++;
  if (side !== 'left') while (end > start && cls.test(cps[end - 1])) end--;
  return cps.slice(start, end).join('');
}

/** `str.split(sep, maxsplit)`; without `sep`, runs of whitespace split and ends are dropped. */
export function pySplit(s: string, sep: string | null | undefined, maxsplit: number): string[] {
  if (sep === '') return pyRaise('ValueError', 'empty separator');
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  const out: string[] = [];
  if (sep === null || sep === undefined) {
    let rest = pyStrip(s, null, 'left');
    while (rest.length > 0) {
      if (out.length >= limit) {
        out.push(rest);
        break;
      }
      const m = SPACE_RUN.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  let rest = s;
  while (out.length < limit) {
    const at = rest.indexOf(sep);
    if (at < 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + sep.length);
  }
  out.push(rest);
  return out;
}

/** `str.rsplit(sep, maxsplit)`. */
export function pyRsplit(s: string, sep: string | null | undefined, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  const reversed = (t: string): string => Array.from(t).reverse().join('');
  const parts = pySplit(reversed(s), sep === null || sep === undefined ? sep : reversed(sep), maxsplit);
  return parts.map(reversed).reverse();
}

/** `str.splitlines(keepends)`, with every line boundary Python knows. */
export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > 0) {
    const m = LINE_BREAK.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, keepends ? m.index + m[0].length : m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/** `str.center(width, fill)`: CPython puts the odd padding character on the left when `width` is odd. */
export function pyCenter(s: string, width: number, fill = ' '): string {
  const len = Array.from(s).length;
  const marg = width - len;
  if (marg <= 0) return s;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return fill.repeat(left) + s + fill.repeat(marg - left);
}

/** `str.title()`: every letter after a non-letter is upper-cased, the rest lower-cased. */
export function pyTitleMethod(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

export function pyCapitalize(s: string): string {
  const [first = '', ...rest] = Array.from(s);
  return first.toUpperCase() + rest.join('').toLowerCase();
}

/** `str.replace(old, new, count)`; an empty `old` inserts `new` between characters, as Python does. */
export function pyReplace(s: string, old: string, repl: string, count: number): string {
  const limit = count < 0 ? Infinity : count;
  if (old === '') {
    const cps = Array.from(s);
    let out = '';
    let n = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (n < limit) {
        out += repl;
        n++;
      }
      out += cps[i] ?? '';
    }
    return out;
  }
  let out = '';
  let rest = s;
  for (let n = 0; n < limit; n++) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + repl;
    rest = rest.slice(at + old.length);
  }
  return out + rest;
}

const CASED = /\p{Lu}|\p{Ll}|\p{Lt}/u;

export function pyIsUpper(s: string): boolean {
  return CASED.test(s) && s === s.toUpperCase() && s !== s.toLowerCase();
}

export function pyIsLower(s: string): boolean {
  return CASED.test(s) && s === s.toLowerCase() && s !== s.toUpperCase();
}
