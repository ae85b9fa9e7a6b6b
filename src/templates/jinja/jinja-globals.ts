/** Jinja2's global functions: `range`, `dict`, `namespace`, `joiner`, `cycler` (not `lipsum`). */
import type { RenderBudget } from './jinja-budget';
import { bindArgs, noKwargs } from './jinja-args';
import { intArg } from './jinja-filter-kit';
import { pyStr } from './py-str';
import { Dict, Kwargs, Namespace, PyCallable, PyObject, asView, dictSet, isDict, iterate, newDict, pyRaise } from './py-values';

function range(args: unknown[], kwargs: Kwargs, budget: RenderBudget): unknown[] {
  noKwargs('range', kwargs);
  if (args.length < 1 || args.length > 3) pyRaise('TypeError', `range expected at most 3 arguments, got ${args.length}`);
  const ints = args.map((a) => intArg(a, 'range'));
  const [start, stop, step] = ints.length === 1 ? [0, ints[0], 1] : [ints[0], ints[1], ints[2] ?? 1];
  if (step === 0) pyRaise('ValueError', 'range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  budget.checkItems(count);
  const text = step === 1 ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${step})`;
  return asView(Array.from({ length: count }, (_, i) => start + i * step), { name: 'range', repr: () => text, subscriptable: true });
}

/** `dict(pairs_or_dict, **kwargs)`. */
function dict(args: unknown[], kwargs: Kwargs): Dict {
  if (args.length > 1) pyRaise('TypeError', `dict expected at most 1 argument, got ${args.length}`);
  const out = newDict();
  if (args.length === 1) {
    const src = args[0];
    const pairs = isDict(src) ? Object.entries(src) : iterate(src).map((p) => iterate(p));
    for (const pair of pairs) {
      if (pair.length !== 2) pyRaise('ValueError', `dictionary update sequence element has length ${pair.length}; 2 is required`);
      dictSet(out, pyStr(pair[0]), pair[1]);
    }
  }
  for (const [k, v] of kwargs) dictSet(out, k, v);
  return out;
}

class Cycler extends PyObject {
  readonly typeName = 'Cycler';
  private pos = 0;

  constructor(private readonly items: unknown[]) {
    super();
    if (items.length === 0) pyRaise('RuntimeError', 'at least one item has to be provided');
  }

  attr(name: string): unknown {
    switch (name) {
      case 'current':
        return this.items[this.pos];
      case 'next':
        return new PyCallable('next', () => {
          const v = this.items[this.pos];
          this.pos = (this.pos + 1) % this.items.length;
          return v;
        });
      case 'reset':
        return new PyCallable('reset', () => {
          this.pos = 0;
          return null;
        });
      case 'items':
        return this.items;
      default:
        return undefined;
    }
  }

  repr(): string {
    return `<jinja2.utils.Cycler object>`;
  }
}

/** Globals for one render: `range` and friends need that render's budget. */
export function makeGlobals(budget: RenderBudget): Map<string, unknown> {
  return new Map<string, unknown>([
    ['range', new PyCallable('range', (a, kw) => range(a, kw, budget), 'type')],
    ['dict', new PyCallable('dict', dict, 'type')],
    [
      'namespace',
      new PyCallable(
        'namespace',
        (a, kw) => {
          const ns = new Namespace();
          for (const [k, v] of Object.entries(dict(a, kw))) ns.attrs.set(k, v);
          return ns;
        },
        'type',
      ),
    ],
    [
      'joiner',
      new PyCallable(
        'joiner',
        (a, kw) => {
          const sep = pyStr(bindArgs('joiner', a, kw, { sep: ', ' })[0]);
          let used = false;
          return new PyCallable('joiner', () => {
            const out = used ? sep : '';
            used = true;
            return out;
          });
        },
        'type',
      ),
    ],
    ['cycler', new PyCallable('cycler', (a, kw) => (noKwargs('cycler', kw), new Cycler(a)), 'type')],
  ]);
}
