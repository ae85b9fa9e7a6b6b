/**
 * Python semantics of Jinja2's operators: `+` does not turn `1 + '1'` into `'11'`, `==` does not coerce,
 * `/` always gives a float, `%` formats strings, `in` looks at dict keys.
 */
import type { RenderBudget } from './jinja-budget';
import { printfFormat } from './py-format';
import { pyStr } from './py-str';
import {
  PyIterator,
  Undefined,
  checkDefined,
  codePoints,
  hasKey,
  isDict,
  isFloat,
  isInt,
  isNumber,
  isTuple,
  num,
  pyFloat,
  pyRaise,
  tuple,
  typeName,
  viewKind,
} from './py-values';

export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

/** Any operand that is Undefined fails, as Jinja2's Undefined does for arithmetic and comparison. */
function defined(...values: unknown[]): void {
  for (const v of values) if (v instanceof Undefined) v.fail();
}

export function pyEq(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined) {
    checkDefined(a);
    checkDefined(b);
    return a instanceof Undefined && b instanceof Undefined;
  }
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return isTuple(a) === isTuple(b) && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasKey(b, k) && pyEq(a[k], b[k]));
  }
  return a === b || ((a === null || a === undefined) && (b === null || b === undefined));
}

/** -1, 0 or 1 for Python's `<` ordering; raises TypeError for types Python cannot order. */
export function pyOrder(a: unknown, b: unknown, op: string = '<'): number {
  defined(a, b);
  if (isNumber(a) && isNumber(b)) return Math.sign(num(a) - num(b));
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return pyOrder(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  return pyRaise('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyCompare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
    case '<':
      return pyOrder(a, b, op) < 0;
    case '>':
      return pyOrder(a, b, op) > 0;
    case '<=':
      return pyOrder(a, b, op) <= 0;
    case '>=':
      return pyOrder(a, b, op) >= 0;
  }
}

/** `item in container`: the container decides, as `container.__contains__(item)` does in Python. */
export function pyContains(container: unknown, item: unknown): boolean {
  defined(container);
  if (typeof container === 'string') {
    if (typeof item !== 'string') pyRaise('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (isDict(container)) {
    defined(item);
    if (Array.isArray(item) && !isTuple(item)) pyRaise('TypeError', "unhashable type: 'list'");
    if (isDict(item)) pyRaise('TypeError', "unhashable type: 'dict'");
    return typeof item === 'string' && hasKey(container, item);
  }
  if (container instanceof PyIterator) {
    for (let n = container.next(); !n.done; n = container.next()) if (pyEq(n.value, item)) return true;
    return false;
  }
  return pyRaise('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

function numeric(a: unknown, b: unknown, result: number): unknown {
  return isFloat(a) || isFloat(b) ? pyFloat(result) : result;
}

function unsupported(op: string, a: unknown, b: unknown): never {
  return pyRaise('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyAdd(a: unknown, b: unknown): unknown {
  defined(a, b);
  if (isNumber(a) && isNumber(b)) return numeric(a, b, num(a) + num(b));
  if (typeof a === 'string') {
    if (typeof b === 'string') return a + b;
    return pyRaise('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
  }
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b) && !viewKind(a) && !viewKind(b)) {
    return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
  }
  return unsupported('+', a, b);
}

export function pySub(a: unknown, b: unknown): unknown {
  defined(a, b);
  if (isNumber(a) && isNumber(b)) return numeric(a, b, num(a) - num(b));
  return unsupported('-', a, b);
}

export function pyMul(a: unknown, b: unknown, budget: RenderBudget): unknown {
  defined(a, b);
  if (isNumber(a) && isNumber(b)) return numeric(a, b, num(a) * num(b));
  const [seq, times] = typeof a === 'string' || Array.isArray(a) ? [a, b] : [b, a];
  if (typeof seq === 'string' || (Array.isArray(seq) && !viewKind(seq))) {
    if (!isInt(times) && typeof times !== 'boolean') {
      return pyRaise('TypeError', `can't multiply sequence by non-int of type '${typeName(times)}'`);
    }
    const n = Math.max(0, num(times));
    if (typeof seq === 'string') {
      budget.checkLength(seq.length * n);
      return seq.repeat(n);
    }
    budget.checkItems(seq.length * n);
    const out = Array.from({ length: n }, () => seq).flat();
    return isTuple(seq) ? tuple(out) : out;
  }
  return unsupported('*', a, b);
}

export function pyDiv(a: unknown, b: unknown): unknown {
  defined(a, b);
  if (!isNumber(a) || !isNumber(b)) return unsupported('/', a, b);
  if (num(b) === 0) return pyRaise('ZeroDivisionError', 'division by zero');
  return pyFloat(num(a) / num(b));
}

export function pyFloorDiv(a: unknown, b: unknown): unknown {
  defined(a, b);
  if (!isNumber(a) || !isNumber(b)) return unsupported('//', a, b);
  if (num(b) === 0) {
    return pyRaise('ZeroDivisionError', isFloat(a) || isFloat(b) ? 'float floor division by zero' : 'integer division or modulo by zero');
  }
  const q = floorDiv(num(a), num(b));
  return isFloat(a) || isFloat(b) ? pyFloat(q) : q || 0;
}

/** CPython's float floor division (`divmod`): `18 // 0.1` is 179.0, where `Math.floor(18 / 0.1)` is 180. */
function floorDiv(x: number, y: number): number {
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && y < 0 !== mod < 0) div -= 1;
  if (div === 0) return x / y < 0 || Object.is(x / y, -0) ? -0 : 0;
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

export function pyMod(a: unknown, b: unknown): unknown {
  defined(a, b);
  if (typeof a === 'string') return printfFormat(a, b);
  if (!isNumber(a) || !isNumber(b)) return unsupported('%', a, b);
  if (num(b) === 0) return pyRaise('ZeroDivisionError', isFloat(a) || isFloat(b) ? 'float modulo' : 'integer modulo by zero');
  let m = num(a) % num(b);
  if (m !== 0 && num(b) < 0 !== m < 0) m += num(b);
  // Python: the result has the divisor's sign, including a zero (`7 % -1.75` is -0.0).
  if (m === 0) m = num(b) < 0 ? -0 : 0;
  return numeric(a, b, m);
}

export function pyPow(a: unknown, b: unknown): unknown {
  defined(a, b);
  if (!isNumber(a) || !isNumber(b)) return unsupported('** or pow()', a, b);
  if (num(a) === 0 && num(b) < 0) return pyRaise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  const r = num(a) ** num(b);
  return isFloat(a) || isFloat(b) || num(b) < 0 ? pyFloat(r) : r;
}

export function pyNeg(a: unknown): unknown {
  defined(a);
  if (!isNumber(a)) return pyRaise('TypeError', `bad operand type for unary -: '${typeName(a)}'`);
  return isFloat(a) ? pyFloat(-num(a)) : -num(a) || 0;
}

export function pyPos(a: unknown): unknown {
  defined(a);
  if (!isNumber(a)) return pyRaise('TypeError', `bad operand type for unary +: '${typeName(a)}'`);
  return typeof a === 'boolean' ? num(a) : a;
}

/** `a ~ b`: both sides as `str()`. */
export function pyConcat(a: unknown, b: unknown): string {
  return pyStr(a) + pyStr(b);
}

/** Python slicing of lists, tuples and strings (by code point). */
export function pySliceOf(seq: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const items = typeof seq === 'string' ? codePoints(seq) : (seq as unknown[]);
  const st = step === null || step === undefined ? 1 : num(step);
  if (st === 0) pyRaise('ValueError', 'slice step cannot be zero');
  const len = items.length;
  const clamp = (v: unknown, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    let i = num(v);
    if (i < 0) i += len;
    return st > 0 ? Math.min(Math.max(i, 0), len) : Math.min(Math.max(i, -1), len - 1);
  };
  const from = clamp(start, st > 0 ? 0 : len - 1);
  const to = clamp(stop, st > 0 ? len : -1);
  const out: unknown[] = [];
  for (let i = from; st > 0 ? i < to : i > to; i += st) out.push(items[i]);
  if (typeof seq === 'string') return out.join('');
  return isTuple(seq) ? tuple(out) : out;
}
