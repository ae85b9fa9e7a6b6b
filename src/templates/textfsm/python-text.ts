/**
 * Python `str` behaviours that TextFSM leans on and JavaScript spells differently: what counts as whitespace
 * (`str.isspace`, the `\s` of a `str` pattern), where `str.splitlines()` breaks, and `repr()` of the values a
 * clitable row can hold.
 */

/** `str.isspace()` code points: JavaScript's `\s` lacks U+001C..U+001F and U+0085 and adds U+FEFF. */
export const PY_SPACE_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Python's Unicode `\w` for a `str` pattern: `str.isalnum()` or `_` (exact for the characters of Unicode 14). */
export const PY_WORD_CLASS = '\\p{L}\\p{N}_';

const SPACE_RE = new RegExp(`[${PY_SPACE_CLASS}]`, 'u');
const LEADING_SPACE_RE = new RegExp(`^[${PY_SPACE_CLASS}]+`, 'u');
const TRAILING_SPACE_RE = new RegExp(`[${PY_SPACE_CLASS}]+$`, 'u');

/** `str.splitlines()` boundaries: `\r\n` first so it counts once. */
const LINE_BREAK_RE = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;
/** Anything but `\n` and `\r`: with none of the rare breaks present, a plain split on `\n` is enough. */
const RARE_BREAK_RE = /[\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

export function pyIsSpace(ch: string): boolean {
  return SPACE_RE.test(ch);
}

export function pyStrip(s: string): string {
  return pyRstrip(s.replace(LEADING_SPACE_RE, ''));
}

export function pyRstrip(s: string): string {
  // Most lines end without trailing blanks: skip the regex then.
  const last = s.charCodeAt(s.length - 1);
  if (s.length === 0 || (last > 0x20 && last < 0x7f)) return s;
  return s.replace(TRAILING_SPACE_RE, '');
}

/** `str.splitlines()`: no empty last piece for a trailing break, `[]` for `''`. */
export function pySplitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = RARE_BREAK_RE.test(text) ? text.split(LINE_BREAK_RE) : text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Length in code points, as Python's `len()` of a `str`. */
export function pyLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Characters `str.isprintable()` refuses (categories C* and Z* but the space). */
const NON_PRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** `repr(s)` for a `str`. */
export function pyReprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp < 0x7f || (ch !== ' ' && !NON_PRINTABLE_RE.test(ch))) out += ch;
    else if (cp <= 0xff) out += '\\x' + hex(cp, 2);
    else if (cp <= 0xffff) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}

/** A value `str()` or `repr()` meets in a TextFSM row: `str`, `None`, `list` and the `dict` of a nested List match. */
export type PyValue = string | null | PyValue[] | { [key: string]: PyValue };

export function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return pyReprStr(v);
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  return '{' + Object.keys(v).map((k) => `${pyReprStr(k)}: ${pyRepr(v[k])}`).join(', ') + '}';
}

/** `str(v)`: a `str` is itself, anything else its repr. */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
