/** Jinja2's value filters: conversions with Jinja2's fallbacks (`'x'|int` is 0), `default`, `round`, `tojson`. */
import { REQUIRED, bindArgs } from './jinja-args';
import { FilterFn, intArg } from './jinja-filter-kit';
import { getAttrOnly } from './py-lookup';
import { htmlSafeJson, pyJsonDumps } from './py-json';
import { pyRound } from './py-number-format';
import { pyRepr, strRepr } from './py-str';
import { PY_SPACE } from './py-text';
import { PyFloat, Undefined, isDict, isFloat, isNumber, isTuple, num, pyFloat, pyLen, pyRaise, truthy, typeName } from './py-values';

const SPACE = `[${PY_SPACE}]*`;
const DIGITS = '\\d(?:_?\\d)*';
const FLOAT_TEXT = new RegExp(`^${SPACE}[+-]?(?:(?:${DIGITS})?\\.?(?:${DIGITS})?(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)${SPACE}$`, 'i');
const INT_DIGITS: Record<number, string> = { 2: '[01]', 8: '[0-7]', 10: '\\d', 16: '[0-9a-fA-F]' };

/** Python's `float(str)`, or undefined where Python raises ValueError. */
export function parseFloatText(s: string): number | undefined {
  if (!FLOAT_TEXT.test(s) || !/\d|inf|nan/i.test(s)) return undefined;
  const t = s.trim().replace(/_/g, '').toLowerCase();
  if (/^[+-]?inf(inity)?$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  return Number(t);
}

/** Python's `int(str, base)`, or undefined where Python raises ValueError. */
function parseIntText(s: string, base: number): number | undefined {
  const t = s.replace(new RegExp(`^${SPACE}|${SPACE}$`, 'g'), '');
  const prefixes: Record<number, string> = { 2: '0[bB]', 8: '0[oO]', 16: '0[xX]' };
  const resolved = base === 0 ? (/^[+-]?0[xX]/.test(t) ? 16 : /^[+-]?0[oO]/.test(t) ? 8 : /^[+-]?0[bB]/.test(t) ? 2 : 10) : base;
  const digit = INT_DIGITS[resolved];
  if (!digit) return undefined;
  const prefix = prefixes[resolved] ? `(?:${prefixes[resolved]}_?)?` : '';
  const m = new RegExp(`^([+-]?)${prefix}(${digit}(?:_?${digit})*)$`).exec(t);
  if (!m) return undefined;
  const n = parseInt(m[2].replace(/_/g, ''), resolved);
  return m[1] === '-' ? -n : n;
}

/** Python's `int(x)` for a float: truncation, with Python's errors for infinity and NaN. */
function truncate(n: number): number | undefined {
  if (Number.isNaN(n)) return undefined;
  if (!Number.isFinite(n)) return pyRaise('OverflowError', 'cannot convert float infinity to integer');
  return Math.trunc(n) || 0;
}

const toInt: FilterFn = (value, args, kwargs) => {
  const [dflt, base] = bindArgs('int', args, kwargs, { default: 0, base: 10 });
  if (typeof value === 'string') {
    const direct = parseIntText(value, intArg(base, 'int base'));
    if (direct !== undefined) return direct;
    const f = parseFloatText(value);
    const t = f === undefined ? undefined : truncate(f);
    return t === undefined ? dflt : t;
  }
  if (isNumber(value)) return truncate(num(value)) ?? dflt;
  return dflt;
};

const toFloat: FilterFn = (value, args, kwargs) => {
  const [dflt] = bindArgs('float', args, kwargs, { default: new PyFloat(0) });
  if (typeof value === 'string') {
    const f = parseFloatText(value);
    return f === undefined ? dflt : pyFloat(f);
  }
  return isNumber(value) ? pyFloat(num(value)) : dflt;
};

const round: FilterFn = (value, args, kwargs) => {
  const [precision, method] = bindArgs('round', args, kwargs, { precision: 0, method: 'common' });
  if (method !== 'common' && method !== 'ceil' && method !== 'floor') pyRaise('FilterArgumentError', 'method must be common, ceil or floor');
  // 'common' calls round(value), which an Undefined does not define; ceil/floor multiply it first, which fails as undefined.
  if (value instanceof Undefined && method !== 'common') value.fail();
  if (!isNumber(value)) return pyRaise('TypeError', `type ${typeName(value)} doesn't define __round__ method`);
  const p = intArg(precision, 'round precision');
  const n = num(value);
  if (method === 'common') {
    if (isFloat(value)) return pyFloat(pyRound(n, p));
    return p >= 0 ? n : pyRound(n, p);
  }
  const scaled = method === 'ceil' ? Math.ceil(n * 10 ** p) : Math.floor(n * 10 ** p);
  return pyFloat(scaled / 10 ** p);
};

/** `pprint` is `pformat`: a repr with dict keys sorted (long values are not wrapped at 80 columns here). */
function pformat(v: unknown): string {
  if (Array.isArray(v)) {
    const inner = v.map(pformat).join(', ');
    return isTuple(v) ? `(${inner}${v.length === 1 ? ',' : ''})` : `[${inner}]`;
  }
  if (isDict(v)) return `{${Object.keys(v).sort().map((k) => `${strRepr(k)}: ${pformat(v[k])}`).join(', ')}}`;
  return pyRepr(v);
}

export const VALUE_FILTERS: Record<string, FilterFn> = {
  abs: (v) => {
    if (!isNumber(v)) return pyRaise('TypeError', `bad operand type for abs(): '${typeName(v)}'`);
    return isFloat(v) ? pyFloat(Math.abs(num(v))) : Math.abs(num(v));
  },
  attr: (v, a, kw, ctx) => getAttrOnly(v, String(bindArgs('attr', a, kw, { name: REQUIRED })[0]), ctx.budget),
  default: (v, a, kw) => {
    const [dflt, boolean] = bindArgs('default', a, kw, { default_value: '', boolean: false });
    return v instanceof Undefined || (truthy(boolean) && !truthy(v)) ? dflt : v;
  },
  float: toFloat,
  int: toInt,
  round,
  tojson: (v, a, kw) => {
    const [indent] = bindArgs('tojson', a, kw, { indent: null });
    return htmlSafeJson(pyJsonDumps(v, indent === null ? undefined : typeof indent === 'string' ? indent : intArg(indent, 'tojson indent')));
  },
  pprint: (v) => pformat(v),
  length: (v) => pyLen(v),
  count: (v) => pyLen(v),
};

VALUE_FILTERS.d = VALUE_FILTERS.default;

/**
 * Filters that take an Undefined value without failing at once: `default`, the few that raise a TypeError
 * instead, and the generators, which fail only when iterated (as in Jinja2).
 */
export const ACCEPT_UNDEFINED = new Set([
  'default', 'd', 'pprint', 'tojson', 'abs', 'round',
  'items', 'map', 'select', 'reject', 'selectattr', 'rejectattr', 'unique', 'batch', 'slice',
]);
