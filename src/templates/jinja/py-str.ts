/**
 * Python's `str()` and `repr()` of template values: Jinja2 prints `str(value)`, so `True`, `None`, `5.0`,
 * `['a', 1]` and `{'k': 1}` must come out as Python writes them, not as JS would.
 */
import {
  Namespace,
  PyCallable,
  PyFloat,
  PyIterator,
  PyObject,
  PySlice,
  Undefined,
  isDict,
  isFloat,
  isTuple,
  num,
  viewKind,
} from './py-values';

/** `str(v)`: what `{{ v }}` prints. A StrictUndefined raises. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Undefined) {
    if (v.strict) v.fail();
    return '';
  }
  return pyRepr(v);
}

/** `repr(v)`: how values print inside lists and dicts. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || v instanceof PyFloat) return numberRepr(v);
  if (Array.isArray(v)) return sequenceRepr(v);
  if (isDict(v)) return `{${Object.keys(v).map((k) => `${strRepr(k)}: ${pyRepr(v[k])}`).join(', ')}}`;
  if (v instanceof Undefined) return 'Undefined';
  if (v instanceof PyIterator) return `<${v.reprName}>`;
  if (v instanceof Namespace) return `<Namespace {${[...v.attrs].map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(', ')}}>`;
  if (v instanceof PyCallable) return v.typeName === 'Macro' ? `<Macro ${strRepr(v.name)}>` : `<built-in method ${v.name}>`;
  if (v instanceof PyObject) return v.repr();
  if (v instanceof PySlice) return `slice(${pyRepr(v.start)}, ${pyRepr(v.stop)}, ${pyRepr(v.step)})`;
  return String(v);
}

function sequenceRepr(items: unknown[]): string {
  const inner = items.map(pyRepr).join(', ');
  const view = viewKind(items);
  if (view) return view.repr(`[${inner}]`);
  if (!isTuple(items)) return `[${inner}]`;
  return items.length === 1 ? `(${inner},)` : `(${inner})`;
}

/** Ints print all their digits (beyond 2^53 those of the nearest double); floats use Python's repr. */
export function numberRepr(v: number | PyFloat): string {
  if (isFloat(v)) return floatRepr(num(v));
  return Number.isSafeInteger(v) ? String(v) : BigInt(v as number).toString();
}

/**
 * Python's `repr(float)`: the shortest round-tripping digits (which JS computes too), written in fixed
 * notation with at least one decimal, or in exponent form outside 1e-4 <= |x| < 1e16.
 */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1) || '0';
  return `${sign}${intPart}.${fracPart}`;
}

/** Characters Python's `str.isprintable()` rejects (control, format, separators other than space...). */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `repr(str)`: single quotes unless the text has one and no double quote. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += escapeCodePoint(ch.codePointAt(0) as number);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}
