/**
 * Attribute and item lookup with Jinja2's rules: `x.name` tries the attribute (a dict's `items` method wins
 * over an `items` key), then the item; `x['name']` tries the item first. A miss is an Undefined that
 * carries Jinja2's message. Only data and the Python methods in py-methods are reachable: nothing of the
 * JS object model (`constructor`, `__proto__`, `length`), so a template cannot reach code.
 */
import type { RenderBudget } from './jinja-budget';
import { pySliceOf } from './py-ops';
import { methodOf } from './py-methods';
import { pyRepr, strRepr } from './py-str';
import {
  Namespace,
  PyObject,
  PySlice,
  Undefined,
  codePoints,
  hasKey,
  isDict,
  isInt,
  num,
  objectTypeRepr,
  pyRaise,
  tupleFields,
  typeName,
  viewKind,
} from './py-values';

const MISSING = Symbol('missing');

/** `obj.name`. */
export function getAttr(obj: unknown, name: string, budget: RenderBudget): unknown {
  if (obj instanceof Undefined) obj.fail();
  const attr = attribute(obj, name, budget);
  if (attr !== MISSING) return attr;
  const it = item(obj, name);
  return it !== MISSING ? it : missing(obj, name);
}

/** `obj[key]`. */
export function getItem(obj: unknown, key: unknown, budget: RenderBudget): unknown {
  if (obj instanceof Undefined) obj.fail();
  if (key instanceof Undefined) key.fail();
  if (key instanceof PySlice) return slice(obj, key);
  const it = item(obj, key);
  if (it !== MISSING) return it;
  if (typeof key === 'string') {
    const attr = attribute(obj, key, budget);
    if (attr !== MISSING) return attr;
  }
  return missing(obj, key);
}

/** `obj|attr(name)`: the attribute only, never the item. */
export function getAttrOnly(obj: unknown, name: string, budget: RenderBudget): unknown {
  if (obj instanceof Undefined) obj.fail();
  const attr = attribute(obj, name, budget);
  return attr !== MISSING ? attr : missing(obj, name);
}

function attribute(obj: unknown, name: string, budget: RenderBudget): unknown {
  if (obj instanceof PyObject) {
    const v = obj.attr(name);
    return v === undefined ? MISSING : v;
  }
  if (obj instanceof Namespace) return obj.attrs.has(name) ? obj.attrs.get(name) : MISSING;
  if (Array.isArray(obj)) {
    const at = tupleFields(obj)?.indexOf(name) ?? -1;
    if (at >= 0) return obj[at];
  }
  return methodOf(obj, name, budget) ?? MISSING;
}

/** Jinja2 compiles `x[a:b]` to a plain Python subscript, not `environment.getitem`: no Undefined, a TypeError. */
function slice(obj: unknown, key: PySlice): unknown {
  if (typeof obj === 'string' || (Array.isArray(obj) && viewKind(obj)?.subscriptable !== false)) {
    return pySliceOf(obj, key.start, key.stop, key.step);
  }
  if (isDict(obj)) return pyRaise('TypeError', "unhashable type: 'slice'");
  return pyRaise('TypeError', `'${typeName(obj)}' object is not subscriptable`);
}

function item(obj: unknown, key: unknown): unknown {
  if (isDict(obj)) return typeof key === 'string' && hasKey(obj, key) ? obj[key] : MISSING;
  const isIndex = isInt(key) || typeof key === 'boolean';
  if (Array.isArray(obj) && viewKind(obj)?.subscriptable === false) return MISSING;
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (!isIndex) return MISSING;
    const seq = typeof obj === 'string' ? codePoints(obj) : obj;
    const i = num(key) < 0 ? num(key) + seq.length : num(key);
    return i >= 0 && i < seq.length ? seq[i] : MISSING;
  }
  return MISSING;
}

/** Jinja2's Undefined message for a failed lookup. */
function missing(obj: unknown, key: unknown): Undefined {
  if (typeof key === 'string') return new Undefined(`${strRepr(objectTypeRepr(obj))} has no attribute ${strRepr(key)}`);
  return new Undefined(`${objectTypeRepr(obj)} has no element ${pyRepr(key)}`);
}
