/** What filter and test implementations share: their signature, argument coercion, attribute getters. */
import type { RenderBudget } from './jinja-budget';
import { getItem } from './py-lookup';
import { Kwargs, Undefined, isInt, num, pyRaise, typeName } from './py-values';

/** What a filter can reach besides its arguments: `map('upper')` calls another filter, `select('odd')` a test. */
export interface FilterContext {
  budget: RenderBudget;
  callFilter(name: string, value: unknown, args: unknown[], kwargs: Kwargs): unknown;
  callTest(name: string, value: unknown, args: unknown[], kwargs: Kwargs): boolean;
}

export type FilterFn = (value: unknown, args: unknown[], kwargs: Kwargs, ctx: FilterContext) => unknown;
export type TestFn = (value: unknown, args: unknown[], kwargs: Kwargs, ctx: FilterContext) => boolean;

/** An int argument (`width`, `linecount`...): a float or a string is a TypeError as in Python. */
export function intArg(v: unknown, what: string): number {
  if (v instanceof Undefined) v.fail();
  if (isInt(v) || typeof v === 'boolean') return num(v);
  return pyRaise('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer (${what})`);
}

/** Lower-cases strings, for the filters that compare case-insensitively by default. */
export function ignoreCase(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

/** Jinja2's `make_attrgetter`: `'a.b.0'` follows keys and indexes (digits become ints), item first. */
export function attrGetter(
  budget: RenderBudget,
  attribute: unknown,
  postprocess?: (v: unknown) => unknown,
  dflt?: unknown,
): (item: unknown) => unknown {
  const parts = attributeParts(attribute);
  return (item) => {
    let v = item;
    for (const part of parts) {
      v = getItem(v, part, budget);
      if (dflt !== null && dflt !== undefined && v instanceof Undefined) v = dflt;
    }
    return postprocess ? postprocess(v) : v;
  };
}

/** Jinja2's `make_multi_attrgetter`: `'age,name'` gives a list of keys to sort on. */
export function multiAttrGetter(
  budget: RenderBudget,
  attribute: unknown,
  postprocess?: (v: unknown) => unknown,
): (item: unknown) => unknown {
  const getters = (typeof attribute === 'string' ? attribute.split(',') : [attribute]).map((a) => attrGetter(budget, a, postprocess));
  return (item) => getters.map((g) => g(item));
}

function attributeParts(attribute: unknown): unknown[] {
  if (attribute === null || attribute === undefined) return [];
  if (typeof attribute === 'string') return attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return [attribute];
}
