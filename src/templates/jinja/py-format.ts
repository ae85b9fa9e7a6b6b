/**
 * Python string formatting: `'%-10s %5.2f' % (a, b)` and the `format` filter (printf style), and
 * `'{:>10}'.format(x)` (the format mini-language). Config templates use both to align columns.
 */
import { groupThousands, toExponentPy, toFixedHalfEven, toGeneralPy } from './py-number-format';
import { floatRepr, pyRepr, pyStr } from './py-str';
import { Dict, isDict, isFloat, isNumber, isTuple, num, pyRaise, typeName } from './py-values';

const PRINTF_SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([diouxXeEfFgGcrsa%])?/g;

/**
 * `fmt % args`: a tuple gives positional values, a dict named ones, anything else is the single value.
 * Python treats any subscriptable non-tuple (dict, list) as a mapping: extra arguments are then no error.
 */
export function printfFormat(fmt: string, args: unknown): string {
  const positional = isTuple(args) ? args : [args];
  const mapping = isDict(args) ? args : undefined;
  const lenient = mapping !== undefined || (Array.isArray(args) && !isTuple(args));
  let next = 0;
  const take = (): unknown => {
    if (next >= positional.length) pyRaise('TypeError', 'not enough arguments for format string');
    return positional[next++];
  };
  let usedMapping = false;
  const out = fmt.replace(PRINTF_SPEC, (whole, key: string | undefined, flags: string, width?: string, prec?: string, conv?: string) => {
    if (conv === undefined) return pyRaise('ValueError', `incomplete format at '${whole}'`);
    if (conv === '%' && whole === '%%') return '%';
    const w = width === '*' ? Number(take()) : width ? Number(width) : 0;
    const p = prec === '*' ? Number(take()) : prec !== undefined ? Number(prec || '0') : undefined;
    let value: unknown;
    if (key !== undefined) {
      if (!mapping) return pyRaise('TypeError', 'format requires a mapping');
      if (!Object.prototype.hasOwnProperty.call(mapping, key)) return pyRaise('KeyError', `'${key}'`);
      usedMapping = true;
      value = (mapping as Dict)[key];
    } else {
      value = take();
    }
    return pad(convertPrintf(conv, value, flags, p), w, flags, 'srac'.includes(conv));
  });
  if (!lenient && next < positional.length && !usedMapping) {
    pyRaise('TypeError', 'not all arguments converted during string formatting');
  }
  return out;
}

function convertPrintf(conv: string, value: unknown, flags: string, prec: number | undefined): string {
  switch (conv) {
    case 's':
      return prec === undefined ? pyStr(value) : pyStr(value).slice(0, prec);
    case 'r':
    case 'a':
      return prec === undefined ? pyRepr(value) : pyRepr(value).slice(0, prec);
    case 'c':
      return typeof value === 'string' ? value : String.fromCodePoint(requireInt(conv, value));
    default:
      return signed(numericPrintf(conv, value, flags, prec), flags);
  }
}

function numericPrintf(conv: string, value: unknown, flags: string, prec: number | undefined): string {
  if (!isNumber(value)) return pyRaise('TypeError', `%${conv} format: a real number is required, not ${typeName(value)}`);
  const n = num(value);
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      return String(Math.trunc(n));
    case 'x':
    case 'X':
    case 'o': {
      const i = requireInt(conv, value);
      const digits = Math.abs(i).toString(conv === 'o' ? 8 : 16);
      const prefix = flags.includes('#') ? (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') : '';
      return (i < 0 ? '-' : '') + prefix + (conv === 'X' ? digits.toUpperCase() : digits);
    }
    case 'e':
    case 'E':
      return toExponentPy(n, prec ?? 6, conv === 'E');
    case 'f':
    case 'F':
      return toFixedHalfEven(n, prec ?? 6);
    default:
      return toGeneralPy(n, prec ?? 6, conv === 'G', flags.includes('#'));
  }
}

function requireInt(conv: string, value: unknown): number {
  if (isFloat(value) || !isNumber(value)) {
    return pyRaise('TypeError', `%${conv} format: an integer is required, not ${typeName(value)}`);
  }
  return num(value);
}

function signed(text: string, flags: string): string {
  if (text.startsWith('-')) return text;
  if (flags.includes('+')) return `+${text}`;
  if (flags.includes(' ')) return ` ${text}`;
  return text;
}

function pad(text: string, width: number, flags: string, isText: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && !isText) {
    const sign = /^[-+ ]/.test(text) ? text[0] : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

const FORMAT_SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

/** Python's `format(value, spec)`, used by `str.format`. */
export function formatValue(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  const m = FORMAT_SPEC.exec(spec);
  if (!m) return pyRaise('ValueError', `Invalid format specifier '${spec}' for object of type '${typeName(value)}'`);
  const [, fillChar, alignChar, sign, , alt, zero, width, grouping, precText, type] = m;
  const prec = precText === undefined ? undefined : Number(precText);
  let text: string;
  let numeric = false;
  if (typeof value === 'string') {
    if (type && type !== 's') return pyRaise('ValueError', `Unknown format code '${type}' for object of type '${typeName(value)}'`);
    text = pyStr(value);
    if (prec !== undefined) text = text.slice(0, prec);
  } else if (isNumber(value)) {
    numeric = true;
    text = formatNumber(value, type, prec, alt !== undefined, grouping);
    if (!text.startsWith('-') && sign && sign !== '-') text = sign + text;
  } else {
    return pyRaise('TypeError', `unsupported format string passed to ${typeName(value)}.__format__`);
  }
  const w = width ? Number(width) : 0;
  const align = alignChar ?? (zero && numeric ? '=' : numeric ? '>' : '<');
  const fill = fillChar ?? (zero && !alignChar ? '0' : ' ');
  return alignText(text, w, align, fill);
}

function formatNumber(value: unknown, type: string | undefined, prec: number | undefined, alt: boolean, grouping?: string): string {
  const n = num(value);
  let out: string;
  if ((type === undefined || type === 'd' || type === 'n') && !isFloat(value)) {
    out = String(Math.trunc(n));
  } else if (type === 'b' || type === 'o' || type === 'x' || type === 'X') {
    if (isFloat(value)) return pyRaise('ValueError', `Unknown format code '${type}' for object of type 'float'`);
    const digits = Math.abs(n).toString(type === 'b' ? 2 : type === 'o' ? 8 : 16);
    const prefix = alt ? `0${type === 'X' ? 'X' : type}` : '';
    out = (n < 0 ? '-' : '') + prefix + (type === 'X' ? digits.toUpperCase() : digits);
  } else if (type === 'c') {
    out = String.fromCodePoint(n);
  } else if (type === 'e' || type === 'E') {
    out = toExponentPy(n, prec ?? 6, type === 'E');
  } else if (type === 'f' || type === 'F') {
    out = toFixedHalfEven(n, prec ?? 6);
  } else if (type === '%') {
    out = `${toFixedHalfEven(n * 100, prec ?? 6)}%`;
  } else if (type === undefined) {
    out = prec === undefined ? floatRepr(n) : toGeneralPy(n, prec, false, alt);
  } else {
    out = toGeneralPy(n, prec ?? 6, type === 'G', alt);
  }
  return grouping && !'boxXc'.includes(type ?? 'd') ? groupThousands(out, grouping) : out;
}

function alignText(text: string, width: number, align: string, fill: string): string {
  const padLen = width - [...text].length;
  if (padLen <= 0) return text;
  switch (align) {
    case '<':
      return text + fill.repeat(padLen);
    case '^':
      return fill.repeat(Math.floor(padLen / 2)) + text + fill.repeat(padLen - Math.floor(padLen / 2));
    case '=': {
      const sign = /^[-+ ]/.test(text) ? text[0] : '';
      return sign + fill.repeat(padLen) + text.slice(sign.length);
    }
    default:
      return fill.repeat(padLen) + text;
  }
}
