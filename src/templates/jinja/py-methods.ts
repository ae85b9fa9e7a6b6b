/**
 * The Python methods templates call on values (str methods in py-str-methods): `d.items()`, `d.get('k')`,
 * `l.append(x)` (the Jinja2 idiom for building lists). Unknown names are not attributes, as in Python.
 */
import type { RenderBudget } from './jinja-budget';
import { REQUIRED, bindArgs, noKwargs } from './jinja-args';
import { pyEq, pyOrder } from './py-ops';
import { pyStr } from './py-str';
import { Method, STR_METHODS } from './py-str-methods';
import {
  Dict,
  PyCallable,
  ViewKind,
  asView,
  dictSet,
  hasKey,
  isDict,
  isTuple,
  iterate,
  newDict,
  num,
  pyRaise,
  tuple,
} from './py-values';

/** The bound method `obj.name`, or undefined when `obj` has no such method. */
export function methodOf(obj: unknown, name: string, budget: RenderBudget): PyCallable | undefined {
  const table: Record<string, Method<never>> | undefined =
    typeof obj === 'string' ? STR_METHODS : isDict(obj) ? DICT_METHODS : Array.isArray(obj) ? (isTuple(obj) ? TUPLE_METHODS : LIST_METHODS) : undefined;
  if (!table || !Object.prototype.hasOwnProperty.call(table, name)) return undefined;
  const method = table[name] as Method<unknown>;
  return new PyCallable(name, (args, kwargs) => method(obj, args, kwargs, budget));
}

function key(fname: string, k: unknown): string | null {
  if (Array.isArray(k) && !isTuple(k)) pyRaise('TypeError', "unhashable type: 'list'");
  if (isDict(k)) pyRaise('TypeError', "unhashable type: 'dict'");
  return typeof k === 'string' ? k : null;
}

const dictView = (name: string): ViewKind => ({ name, repr: (list) => `${name}(${list})`, subscriptable: false });
const DICT_ITEMS = dictView('dict_items');
const DICT_KEYS = dictView('dict_keys');
const DICT_VALUES = dictView('dict_values');

const DICT_METHODS: Record<string, Method<Dict>> = {
  items: (d) => asView(Object.keys(d).map((k) => tuple([k, d[k]])), DICT_ITEMS),
  keys: (d) => asView(Object.keys(d), DICT_KEYS),
  values: (d) => asView(Object.values(d), DICT_VALUES),
  get: (d, a, kw) => {
    noKwargs('get', kw);
    const [k, dflt] = bindArgs('get', a, kw, { key: REQUIRED, default: null });
    const name = key('get', k);
    return name !== null && hasKey(d, name) ? d[name] : dflt;
  },
  copy: (d) => newDict(Object.entries(d)),
  update: (d, a, kw) => {
    const [other] = bindArgs('update', a, new Map(), { other: newDict() });
    for (const [k, v] of isDict(other) ? Object.entries(other) : (iterate(other) as [string, unknown][])) dictSet(d, pyStr(k), v);
    for (const [k, v] of kw) dictSet(d, k, v);
    return null;
  },
  pop: (d, a, kw) => {
    const [k, dflt] = bindArgs('pop', a, kw, { key: REQUIRED, default: REQUIRED_OPTIONAL });
    const name = key('pop', k);
    if (name !== null && hasKey(d, name)) {
      const v = d[name];
      delete d[name];
      return v;
    }
    return dflt === REQUIRED_OPTIONAL ? pyRaise('KeyError', pyStr(k)) : dflt;
  },
  setdefault: (d, a, kw) => {
    const [k, dflt] = bindArgs('setdefault', a, kw, { key: REQUIRED, default: null });
    const name = pyStr(key('setdefault', k) ?? k);
    if (!hasKey(d, name)) dictSet(d, name, dflt);
    return d[name];
  },
  clear: (d) => {
    for (const k of Object.keys(d)) delete d[k];
    return null;
  },
};

/** `dict.pop(k)` without a default raises; with `default=None` it returns None. */
const REQUIRED_OPTIONAL = Symbol('no default');

function listIndex(l: unknown[], v: unknown): number {
  const at = l.findIndex((x) => pyEq(x, v));
  return at < 0 ? pyRaise('ValueError', `${pyStr(v)} is not in list`) : at;
}

const TUPLE_METHODS: Record<string, Method<unknown[]>> = {
  count: (l, a, kw) => {
    const [value] = bindArgs('count', a, kw, { value: REQUIRED });
    return l.filter((x) => pyEq(x, value)).length;
  },
  index: (l, a, kw) => listIndex(l, bindArgs('index', a, kw, { value: REQUIRED })[0]),
};

const LIST_METHODS: Record<string, Method<unknown[]>> = {
  ...TUPLE_METHODS,
  append: (l, a, kw, budget) => {
    budget.checkItems(l.length + 1);
    l.push(bindArgs('append', a, kw, { object: REQUIRED })[0]);
    return null;
  },
  extend: (l, a, kw, budget) => {
    const items = iterate(bindArgs('extend', a, kw, { iterable: REQUIRED })[0]);
    budget.checkItems(l.length + items.length);
    l.push(...items);
    return null;
  },
  insert: (l, a, kw) => {
    const [i, v] = bindArgs('insert', a, kw, { index: REQUIRED, object: REQUIRED });
    const at = num(i) < 0 ? Math.max(0, l.length + num(i)) : Math.min(num(i), l.length);
    l.splice(at, 0, v);
    return null;
  },
  pop: (l, a, kw) => {
    if (l.length === 0) return pyRaise('IndexError', 'pop from empty list');
    const i = num(bindArgs('pop', a, kw, { index: -1 })[0]);
    const at = i < 0 ? l.length + i : i;
    if (at < 0 || at >= l.length) return pyRaise('IndexError', 'pop index out of range');
    return l.splice(at, 1)[0];
  },
  remove: (l, a, kw) => {
    l.splice(listIndex(l, bindArgs('remove', a, kw, { value: REQUIRED })[0]), 1);
    return null;
  },
  reverse: (l) => {
    l.reverse();
    return null;
  },
  sort: (l, a, kw) => {
    const [reverse] = bindArgs('sort', a, kw, { reverse: false });
    l.sort((x, y) => (reverse === true ? pyOrder(y, x) : pyOrder(x, y)));
    return null;
  },
  copy: (l) => l.slice(),
  clear: (l) => {
    l.length = 0;
    return null;
  },
};
