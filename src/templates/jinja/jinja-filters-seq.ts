/**
 * Jinja2's sequence filters. Those that are generators in Jinja2 (map, select*, reject*, unique, batch,
 * slice, reverse, items) return a one-shot PyIterator, so `|list`, `|first` and "always true" behave alike.
 */
import { REQUIRED, bindArgs } from './jinja-args';
import { FilterContext, FilterFn, attrGetter, ignoreCase, intArg, multiAttrGetter } from './jinja-filter-kit';
import { pyAdd, pyEq, pyOrder } from './py-ops';
import { pyStr } from './py-str';
import { Kwargs, PyIterator, Undefined, codePoints, isDict, isTuple, iterate, pyRaise, truthy, tuple, typeName } from './py-values';

function* batches(value: unknown, linecount: unknown, fill: unknown): Generator<unknown[]> {
  const size = intArg(linecount, 'batch linecount');
  let chunk: unknown[] = [];
  for (const item of iterate(value)) {
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
    chunk.push(item);
  }
  if (chunk.length) {
    if (fill !== null) while (chunk.length < size) chunk.push(fill);
    yield chunk;
  }
}

function* slices(value: unknown, slicesArg: unknown, fill: unknown): Generator<unknown[]> {
  const items = iterate(value);
  const count = intArg(slicesArg, 'slice count');
  if (count === 0) pyRaise('ZeroDivisionError', 'integer division or modulo by zero');
  const per = Math.floor(items.length / count);
  const extra = items.length % count;
  let offset = 0;
  for (let n = 0; n < count; n++) {
    const start = offset + n * per;
    if (n < extra) offset += 1;
    const chunk = items.slice(start, offset + (n + 1) * per);
    if (fill !== null && n >= extra) chunk.push(fill);
    yield chunk;
  }
}

/** The per-item function of `map`: an attribute lookup or another filter. */
function mapper(args: unknown[], kwargs: Kwargs, ctx: FilterContext): (item: unknown) => unknown {
  if (args.length === 0 && kwargs.has('attribute')) {
    const rest = new Map(kwargs);
    const attribute = rest.get('attribute');
    const dflt = rest.has('default') ? rest.get('default') : null;
    rest.delete('attribute');
    rest.delete('default');
    if (rest.size) pyRaise('FilterArgumentError', `Unexpected keyword argument '${[...rest.keys()][0]}'`);
    return attrGetter(ctx.budget, attribute, undefined, dflt);
  }
  if (args.length === 0) pyRaise('FilterArgumentError', 'map requires a filter argument');
  const [name, ...rest] = args;
  return (item) => ctx.callFilter(pyStr(name), item, rest, kwargs);
}

/** `select` / `reject` / `selectattr` / `rejectattr`: lazy, so bad arguments fail only when iterated, as in Jinja2. */
function selector(keep: boolean, byAttribute: boolean): FilterFn {
  const name = `generator object ${byAttribute ? 'select_or_reject' : keep ? 'sync_do_select' : 'sync_do_reject'}`;
  return (value, args, kwargs, ctx) =>
    new PyIterator(
      (function* () {
        if (!truthy(value)) return;
        let rest = args;
        let transform = (x: unknown): unknown => x;
        if (byAttribute) {
          if (args.length === 0) pyRaise('FilterArgumentError', 'Missing parameter for attribute name');
          transform = attrGetter(ctx.budget, args[0]);
          rest = args.slice(1);
        }
        const test = rest.length > 0 ? (x: unknown): boolean => ctx.callTest(pyStr(rest[0]), x, rest.slice(1), kwargs) : truthy;
        for (const item of iterate(value)) if (test(transform(item)) === keep) yield item;
      })(),
      name,
    );
}

function sorted(items: unknown[], key: (v: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => (reverse ? pyOrder(b.key, a.key) : pyOrder(a.key, b.key)));
  return keyed.map((k) => k.item);
}

/** Python's hash identity for `unique`: 1, 1.0 and True are one key; lists and dicts are unhashable. */
function hashKey(v: unknown): string {
  if (v instanceof Undefined) v.fail();
  if (typeof v === 'string') return `s${v}`;
  if (v === null) return 'None';
  if (typeof v === 'number' || typeof v === 'boolean') return `n${Number(v)}`;
  if (isTuple(v)) return `t(${v.map(hashKey).join(',')})`;
  if (Array.isArray(v) || isDict(v)) return pyRaise('TypeError', `unhashable type: '${typeName(v)}'`);
  return `n${Number((v as { value: number }).value)}`;
}

function minMax(pickMax: boolean): FilterFn {
  return (value, args, kwargs, ctx) => {
    const [caseSensitive, attribute] = bindArgs(pickMax ? 'max' : 'min', args, kwargs, { case_sensitive: false, attribute: null });
    const items = iterate(value);
    if (items.length === 0) return new Undefined('No aggregated item, sequence was empty.');
    const key = attrGetter(ctx.budget, attribute, truthy(caseSensitive) ? undefined : ignoreCase);
    let best = items[0];
    let bestKey = key(best);
    for (const item of items.slice(1)) {
      const k = key(item);
      if (pickMax ? pyOrder(bestKey, k) < 0 : pyOrder(k, bestKey) < 0) [best, bestKey] = [item, k];
    }
    return best;
  };
}

const groupby: FilterFn = (value, args, kwargs, ctx) => {
  const [attribute, dflt, caseSensitive] = bindArgs('groupby', args, kwargs, { attribute: REQUIRED, default: null, case_sensitive: false });
  const key = attrGetter(ctx.budget, attribute, truthy(caseSensitive) ? undefined : ignoreCase, dflt);
  const groups: unknown[][] = [];
  let current: { key: unknown; items: unknown[] } | undefined;
  for (const item of sorted(iterate(value), key, false)) {
    const k = key(item);
    if (current && pyEq(current.key, k)) {
      current.items.push(item);
    } else {
      current = { key: k, items: [item] };
      groups.push(current.items);
    }
  }
  const grouper = attrGetter(ctx.budget, attribute, undefined, dflt);
  return groups.map((items) => tuple([grouper(items[0]), items], ['grouper', 'list']));
};

const reverse: FilterFn = (value) => {
  if (typeof value === 'string') return codePoints(value).reverse().join('');
  if (Array.isArray(value)) return new PyIterator(value.slice().reverse(), `${isTuple(value) ? 'reversed' : 'list_reverseiterator'} object`);
  if (isDict(value)) return new PyIterator(Object.keys(value).reverse(), 'dict_reversekeyiterator object');
  if (value instanceof PyIterator) return value.drain().reverse();
  return pyRaise('FilterArgumentError', 'argument must be iterable');
};

export const SEQUENCE_FILTERS: Record<string, FilterFn> = {
  batch: (v, a, kw) => {
    const [count, fill] = bindArgs('batch', a, kw, { linecount: REQUIRED, fill_with: null });
    return new PyIterator(batches(v, count, fill), 'generator object do_batch');
  },
  slice: (v, a, kw) => {
    const [count, fill] = bindArgs('slice', a, kw, { slices: REQUIRED, fill_with: null });
    return new PyIterator(slices(v, count, fill), 'generator object sync_do_slice');
  },
  first: (v) => {
    if (v instanceof PyIterator) {
      const r = v.next();
      return r.done ? new Undefined('No first item, sequence was empty.') : r.value;
    }
    const items = iterate(v);
    return items.length ? items[0] : new Undefined('No first item, sequence was empty.');
  },
  last: (v) => {
    if (v instanceof PyIterator) return pyRaise('TypeError', "'generator' object is not reversible");
    const items = iterate(v);
    return items.length ? items[items.length - 1] : new Undefined('No last item, sequence was empty.');
  },
  list: (v) => iterate(v),
  join: (v, a, kw, ctx) => {
    const [sep, attribute] = bindArgs('join', a, kw, { d: '', attribute: null });
    const items = iterate(v);
    const values = attribute === null ? items : items.map(attrGetter(ctx.budget, attribute));
    return values.map(pyStr).join(pyStr(sep));
  },
  map: (v, a, kw, ctx) =>
    new PyIterator(
      (function* () {
        if (!truthy(v)) return;
        const fn = mapper(a, kw, ctx);
        for (const item of iterate(v)) yield fn(item);
      })(),
      'generator object sync_do_map',
    ),
  select: selector(true, false),
  reject: selector(false, false),
  selectattr: selector(true, true),
  rejectattr: selector(false, true),
  sort: (v, a, kw, ctx) => {
    const [rev, caseSensitive, attribute] = bindArgs('sort', a, kw, { reverse: false, case_sensitive: false, attribute: null });
    const key = multiAttrGetter(ctx.budget, attribute, truthy(caseSensitive) ? undefined : ignoreCase);
    return sorted(iterate(v), key, truthy(rev));
  },
  dictsort: (v, a, kw) => {
    const [caseSensitive, by, rev] = bindArgs('dictsort', a, kw, { case_sensitive: false, by: 'key', reverse: false });
    if (by !== 'key' && by !== 'value') pyRaise('FilterArgumentError', 'You can only sort by either "key" or "value"');
    if (!isDict(v)) return pyRaise('AttributeError', `'${typeName(v)}' object has no attribute 'items'`);
    const pos = by === 'key' ? 0 : 1;
    const pairs = Object.keys(v).map((k) => tuple([k, v[k]]));
    return sorted(pairs, (p) => (truthy(caseSensitive) ? (p as unknown[])[pos] : ignoreCase((p as unknown[])[pos])), truthy(rev));
  },
  unique: (v, a, kw, ctx) => {
    const [caseSensitive, attribute] = bindArgs('unique', a, kw, { case_sensitive: false, attribute: null });
    const key = attrGetter(ctx.budget, attribute, truthy(caseSensitive) ? undefined : ignoreCase);
    const seen = new Set<string>();
    return new PyIterator(
      (function* () {
        for (const item of iterate(v)) {
          const k = hashKey(key(item));
          if (!seen.has(k)) {
            seen.add(k);
            yield item;
          }
        }
      })(),
      'generator object do_unique',
    );
  },
  min: minMax(false),
  max: minMax(true),
  sum: (v, a, kw, ctx) => {
    const [attribute, start] = bindArgs('sum', a, kw, { attribute: null, start: 0 });
    const items = iterate(v);
    const values = attribute === null ? items : items.map(attrGetter(ctx.budget, attribute));
    return values.reduce((acc, x) => pyAdd(acc, x), start);
  },
  groupby,
  reverse,
  items: (v) =>
    new PyIterator(
      (function* () {
        if (v instanceof Undefined) return;
        if (!isDict(v)) pyRaise('TypeError', 'Can only get item pairs from a mapping.');
        for (const k of Object.keys(v)) yield tuple([k, v[k]]);
      })(),
      'generator object do_items',
    ),
  random: (v) => {
    const items = iterate(v);
    return items.length ? items[Math.floor(Math.random() * items.length)] : new Undefined('No random item, sequence was empty.');
  },
};
