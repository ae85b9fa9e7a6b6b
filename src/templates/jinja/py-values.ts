/**
 * The Python value model the Jinja2 interpreter works on. Context values arrive as JSON, so most values are
 * plain JS (string, number, boolean, null, array, plain object); this module adds the few Python types that
 * JS cannot express and that change what a template prints or how it behaves.
 */
import { JinjaRuntimeError, JinjaUndefinedError } from './jinja-errors';

/**
 * A Python float whose value is integral (`10 / 2`, `3.7|round`, `'1'|float`): Python prints it `5.0`, JS
 * cannot tell it from the int 5. Non-integral floats stay plain JS numbers (they print the same either way).
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Wraps an arithmetic result that Python types as float. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/**
 * Jinja2's Undefined. `strict` is StrictUndefined (every use raises); the lenient kind exists because
 * Jinja2 itself uses the plain Undefined for `{{ x if false }}`, which prints ''.
 */
export class Undefined {
  constructor(
    readonly message: string,
    readonly strict = true,
  ) {}

  fail(): never {
    throw new JinjaUndefinedError(this.message);
  }
}

/** Marks arrays that are Python tuples (they print `(1, 2)` and never equal a list). */
const TUPLE = Symbol('tuple');
/** Field names of a named tuple (groupby's `(grouper, list)`). */
const FIELDS = Symbol('fields');

export function tuple(items: unknown[], fields?: string[]): unknown[] {
  Object.defineProperty(items, TUPLE, { value: true });
  if (fields) Object.defineProperty(items, FIELDS, { value: fields });
  return items;
}

export function isTuple(v: unknown): v is unknown[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

export function tupleFields(v: unknown[]): string[] | undefined {
  return (v as unknown as Record<symbol, string[] | undefined>)[FIELDS];
}

/** How a list that stands for a Python view or range prints: `dict_items([...])`, `range(0, 3)`. */
const VIEW = Symbol('view');

export interface ViewKind {
  /** Python's type name: `dict_items`, `range`... */
  name: string;
  /** Prints the view given the repr of its items as a list. */
  repr(listRepr: string): string;
  /** dict views cannot be indexed; ranges can. */
  subscriptable: boolean;
}

export function asView(items: unknown[], kind: ViewKind): unknown[] {
  Object.defineProperty(items, VIEW, { value: kind });
  return items;
}

export function viewKind(v: unknown[]): ViewKind | undefined {
  return (v as unknown as Record<symbol, ViewKind | undefined>)[VIEW];
}

/**
 * A one-shot, lazy Python iterator: what `map`, `select`, `unique`, `reverse`, `batch`, `items`... return
 * in Jinja2. It is always true, has no length, and a second loop over it sees nothing: templates that rely on
 * any of that behave as they do in Jinja2.
 */
export class PyIterator {
  private readonly source: Iterator<unknown>;

  constructor(
    source: Iterable<unknown>,
    /** Python's repr name, e.g. `generator object sync_do_map`. */
    readonly reprName: string,
  ) {
    this.source = source[Symbol.iterator]();
  }

  next(): IteratorResult<unknown> {
    return this.source.next();
  }

  drain(): unknown[] {
    const out: unknown[] = [];
    for (let r = this.source.next(); !r.done; r = this.source.next()) out.push(r.value);
    return out;
  }
}

/** `namespace()`: the one object templates may assign attributes to (`{% set ns.count = 1 %}`). */
export class Namespace {
  readonly attrs = new Map<string, unknown>();
}

/** Keyword arguments of a call, in call order. */
export type Kwargs = Map<string, unknown>;

/** Anything callable from a template: macros, `loop.cycle`, `range`, a string's `.upper`... */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly invoke: (args: unknown[], kwargs: Kwargs) => unknown,
    /** Python's type name, for error messages. */
    readonly typeName = 'builtin_function_or_method',
  ) {}
}

/** Objects exposing attributes (LoopContext, cycler, joiner): `attr` returns undefined when missing. */
export abstract class PyObject {
  abstract readonly typeName: string;
  abstract attr(name: string): unknown;
  abstract repr(): string;
}

/** A `slice(start, stop, step)` from `x[1:3]`. */
export class PySlice {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown,
  ) {}
}

export type Dict = Record<string, unknown>;

/** JSON objects and dicts built in templates (null prototype); never class instances. */
export function isDict(v: unknown): v is Dict {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function hasKey(d: Dict, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(d, key);
}

/** A dict with no prototype, so keys such as `__proto__` or `constructor` are plain data. */
export function newDict(entries: Iterable<[string, unknown]> = []): Dict {
  const d = Object.create(null) as Dict;
  for (const [k, v] of entries) dictSet(d, k, v);
  return d;
}

/** Sets a key without ever touching a prototype (`d['__proto__'] = v` would). */
export function dictSet(d: Dict, key: string, value: unknown): void {
  Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isFloat(v: unknown): v is number | PyFloat {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** Python's `numbers.Number`: int, float and bool. */
export function isNumber(v: unknown): v is number | PyFloat | boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

/** The numeric value of an int, float or bool (callers check `isNumber` first). */
export function num(v: unknown): number {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as number;
}

/** `type(v).__name__` in Python. */
export function typeName(v: unknown): string {
  if (v instanceof Undefined) return v.strict ? 'StrictUndefined' : 'Undefined';
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (isInt(v)) return 'int';
  if (isFloat(v)) return 'float';
  if (Array.isArray(v)) return viewKind(v)?.name ?? (isTuple(v) ? 'tuple' : 'list');
  if (v instanceof PyIterator) return v.reprName.split(' ')[0];
  if (v instanceof Namespace) return 'Namespace';
  if (v instanceof PyCallable) return v.typeName;
  if (v instanceof PyObject) return v.typeName;
  if (isDict(v)) return 'dict';
  return 'object';
}

/** Jinja2's `object_type_repr`, used in "'dict object' has no attribute 'x'". */
export function objectTypeRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof Namespace) return 'jinja2.utils.Namespace object';
  if (v instanceof PyCallable && v.typeName === 'Macro') return 'jinja2.runtime.Macro object';
  if (v instanceof PyObject) return `jinja2.runtime.${v.typeName} object`;
  if (Array.isArray(v) && tupleFields(v)) return 'jinja2.filters._GroupTuple object';
  return `${typeName(v)} object`;
}

/** Raises a Python exception that is not an UndefinedError (TypeError, ValueError...). */
export function pyRaise(pyClass: string, message: string): never {
  throw new JinjaRuntimeError(pyClass, message);
}

/** Fails on a StrictUndefined; returns true when `v` is a lenient Undefined the caller must treat as empty. */
export function checkDefined(v: unknown): boolean {
  if (v instanceof Undefined) {
    if (v.strict) v.fail();
    return true;
  }
  return false;
}

/** Python truthiness: empty containers are false, NaN is true, a StrictUndefined raises. */
export function truthy(v: unknown): boolean {
  if (checkDefined(v)) return false;
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python `iter()` materialised: strings by code point, dicts by key, iterators drained. */
export function iterate(v: unknown): unknown[] {
  if (checkDefined(v)) return [];
  if (Array.isArray(v)) return v.slice();
  if (typeof v === 'string') return Array.from(v);
  if (isDict(v)) return Object.keys(v);
  if (v instanceof PyIterator) return v.drain();
  return pyRaise('TypeError', `'${typeName(v)}' object is not iterable`);
}

/** Python `len()`. */
export function pyLen(v: unknown): number {
  if (checkDefined(v)) return 0;
  if (typeof v === 'string') return codePoints(v).length;
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  if (v instanceof Namespace) return pyRaise('TypeError', "object of type 'Namespace' has no len()");
  return pyRaise('TypeError', `object of type '${typeName(v)}' has no len()`);
}

/** Strings indexed the Python way, by code point rather than UTF-16 unit. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
