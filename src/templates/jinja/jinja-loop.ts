/** Jinja2's `loop` variable inside `{% for %}`: index, first/last, cycle, previtem/nextitem, changed, depth, and `loop(...)` in recursive loops. */
import { pyEq } from './py-ops';
import { PyCallable, PyObject, Undefined, pyRaise, tuple } from './py-values';

export class LoopContext extends PyObject {
  readonly typeName = 'LoopContext';
  index0 = 0;
  private lastChanged: unknown[] | undefined;

  constructor(
    private readonly items: unknown[],
    private readonly depth0: number,
    /** Renders the loop body over another iterable, one level deeper; set for `recursive` loops. */
    private readonly recurse?: (iterable: unknown) => string,
  ) {
    super();
  }

  attr(name: string): unknown {
    const length = this.items.length;
    const i = this.index0;
    switch (name) {
      case 'index':
        return i + 1;
      case 'index0':
        return i;
      case 'revindex':
        return length - i;
      case 'revindex0':
        return length - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === length - 1;
      case 'length':
        return length;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new Undefined('there is no previous item');
      case 'nextitem':
        return i < length - 1 ? this.items[i + 1] : new Undefined('there is no next item');
      case 'cycle':
        return new PyCallable('cycle', (args) => {
          if (args.length === 0) pyRaise('TypeError', 'no items for cycling given');
          return args[i % args.length];
        });
      case 'changed':
        return new PyCallable('changed', (args) => {
          const changed = this.lastChanged === undefined || !pyEq(tuple(this.lastChanged), tuple(args.slice()));
          this.lastChanged = args.slice();
          return changed;
        });
      default:
        return undefined;
    }
  }

  /** `loop(children)` in a `recursive` loop. */
  call(args: unknown[]): string {
    if (!this.recurse) return pyRaise('TypeError', "Tried to call non recursive loop. Maybe you forgot the 'recursive' modifier.");
    if (args.length !== 1) pyRaise('TypeError', `loop() takes 1 positional argument but ${args.length} were given`);
    return this.recurse(args[0]);
  }

  repr(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }
}
