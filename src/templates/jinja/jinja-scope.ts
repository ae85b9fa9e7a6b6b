/**
 * Variable scopes with Jinja2's rules: `{% set %}` writes to the innermost scope, each loop iteration and
 * each macro call gets its own (so a `set` inside a loop does not leak out, as in Jinja2), `if` blocks get
 * none. Names resolve through enclosing scopes, then the render context, then the globals.
 */
import { strRepr } from './py-str';
import { Dict, Undefined, hasKey } from './py-values';

/** A name the frame assigns later and that Jinja2 treats as undefined until then (see jinja-symbols). */
const MISSING = Symbol('missing');

export class Scope {
  private readonly vars = new Map<string, unknown>();

  private constructor(
    private readonly parent: Scope | null,
    private readonly context: Dict,
    private readonly globals: Map<string, unknown>,
  ) {}

  static root(context: Dict, globals: Map<string, unknown>, missing: readonly string[] = []): Scope {
    return new Scope(null, context, globals).frame(missing);
  }

  child(): Scope {
    return new Scope(this, this.context, this.globals);
  }

  /** A nested frame: starts with `missing` names undefined, whatever outer frames or the context hold. */
  frame(missing: readonly string[] = []): Scope {
    const s = this.child();
    for (const name of missing) s.vars.set(name, MISSING);
    return s;
  }

  lookup(name: string): unknown {
    const scope = this.holder(name);
    if (scope) {
      const v = scope.vars.get(name);
      return v === MISSING ? new Undefined(`${strRepr(name)} is undefined`) : v;
    }
    if (hasKey(this.context, name)) return this.context[name];
    if (this.globals.has(name)) return this.globals.get(name);
    return new Undefined(`${strRepr(name)} is undefined`);
  }

  /** The innermost scope defining `name`. */
  private holder(name: string): Scope | null {
    return this.vars.has(name) ? this : (this.parent?.holder(name) ?? null);
  }

  set(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
}
