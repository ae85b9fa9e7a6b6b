/**
 * Renders a parsed template: statements (`for`, `if`, `set`, `macro`, `with`...) here, expressions in
 * jinja-eval. A failure gets the line of the innermost statement or printed expression, which is where
 * Jinja2's traceback points.
 */
import { OutputBuffer, RenderBudget } from './jinja-budget';
import {
  BlockNode,
  ForNode,
  IfNode,
  LookupValNode,
  MacroNode,
  Node,
  NodeList,
  SetNode,
  SymbolNode,
  Value,
  WithNode,
  childNodes,
  splitArgs,
} from './jinja-ast';
import { JinjaFault, JinjaRuntimeError } from './jinja-errors';
import { Evaluator } from './jinja-eval';
import { makeGlobals } from './jinja-globals';
import { LoopContext } from './jinja-loop';
import { Scope } from './jinja-scope';
import type { MissingAtEntry } from './jinja-symbols';
import { pyStr, strRepr } from './py-str';
import { Dict, Kwargs, Namespace, PyCallable, Undefined, dictSet, iterate, newDict, pyRaise, truthy, tuple } from './py-values';

/** Nested macro calls allowed (Jinja2 stops near 250, at Python's recursion limit), well within the JS stack. */
const MAX_MACRO_DEPTH = 200;

export class Interpreter extends Evaluator {
  private macroDepth = 0;

  constructor(
    budget: RenderBudget,
    private readonly missing: MissingAtEntry,
  ) {
    super(budget);
  }

  render(root: NodeList, context: Dict): string {
    return this.capture(root, Scope.root(context, makeGlobals(this.budget), this.missing.get(root)));
  }

  /** The scope for rendering `body`, a frame in Jinja2's sense (loop body, macro, `with`, block...). */
  protected frame(body: NodeList, parent: Scope): Scope {
    return parent.frame(this.missing.get(body));
  }

  protected capture(body: NodeList, scope: Scope): string {
    const out = new OutputBuffer(this.budget);
    this.renderBody(body, scope, out);
    return out.toString();
  }

  private renderBody(body: NodeList, scope: Scope, out: OutputBuffer): void {
    for (const child of body.children) this.renderStatement(child, scope, out);
  }

  private renderStatement(node: Node, scope: Scope, out: OutputBuffer): void {
    if (node.typename === 'Output') {
      for (const child of (node as NodeList).children) {
        const text = (): string => (child.typename === 'TemplateData' ? String((child as Value).value) : pyStr(this.eval(child, scope)));
        atLine(child, () => out.write(text()));
      }
      return;
    }
    atLine(node, () => {
      switch (node.typename) {
        case 'If':
          return this.renderIf(node as IfNode, scope, out);
        case 'For':
          return this.runLoop(node as ForNode, scope, out, this.eval((node as ForNode).arr, scope), 0);
        case 'Set':
          return this.renderSet(node as SetNode, scope);
        case 'Macro':
          return scope.set((node as MacroNode).name.value, this.makeMacro((node as MacroNode).name.value, node as MacroNode, scope));
        case 'With':
          return this.renderWith(node as WithNode, scope, out);
        case 'Block': {
          const { body } = node as BlockNode;
          return this.renderBody(body, this.frame(body, scope), out);
        }
        default:
          return pyRaise('TemplateSyntaxError', `unsupported statement '${node.typename}'`);
      }
    });
  }

  private renderIf(node: IfNode, scope: Scope, out: OutputBuffer): void {
    if (truthy(this.eval(node.cond, scope))) this.renderBody(node.body, scope, out);
    else if (node.else_?.typename === 'If') this.renderStatement(node.else_, scope, out);
    else if (node.else_) this.renderBody(node.else_ as NodeList, scope, out);
  }

  private runLoop(node: ForNode, scope: Scope, out: OutputBuffer, iterable: unknown, depth0: number): void {
    let items = iterate(iterable);
    const test = node.test;
    if (test) {
      items = items.filter((item) => {
        const s = scope.child();
        this.bind(node.name, item, s);
        return truthy(this.eval(test, s));
      });
    }
    if (items.length === 0) {
      if (node.else_) this.renderBody(node.else_, this.frame(node.else_, scope), out);
      return;
    }
    const recurse = node.recursive
      ? (inner: unknown): string => {
          const buf = new OutputBuffer(this.budget);
          this.runLoop(node, scope, buf, inner, depth0 + 1);
          return buf.toString();
        }
      : undefined;
    const loop = new LoopContext(items, depth0, recurse);
    items.forEach((item, i) => {
      this.budget.step();
      const s = this.frame(node.body, scope);
      loop.index0 = i;
      s.set('loop', loop);
      this.bind(node.name, item, s);
      this.renderBody(node.body, s, out);
    });
  }

  /** Binds a loop or `with` target: a name, or a tuple of names unpacking the value. */
  private bind(target: Node, value: unknown, scope: Scope): void {
    if (target.typename === 'Symbol') {
      scope.set((target as SymbolNode).value, value);
      return;
    }
    const names = (target as NodeList).children;
    const values = unpack(value, names.length);
    names.forEach((n, i) => this.bind(n, values[i], scope));
  }

  private renderSet(node: SetNode, scope: Scope): void {
    const block = node.body?.body;
    const value = block ? this.capture(block, this.frame(block, scope)) : this.eval(node.value as Node, scope);
    if (node.targets.length === 1) {
      this.assign(node.targets[0], value, scope);
      return;
    }
    const values = unpack(value, node.targets.length);
    node.targets.forEach((t, i) => this.assign(t, values[i], scope));
  }

  private assign(target: Node, value: unknown, scope: Scope): void {
    if (target.typename === 'Symbol') {
      scope.set((target as SymbolNode).value, value);
      return;
    }
    const lookup = target as LookupValNode;
    const ns = this.eval(lookup.target, scope);
    if (ns instanceof Undefined) ns.fail();
    if (!(ns instanceof Namespace)) pyRaise('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
    ns.attrs.set(String((lookup.val as Value).value), value);
  }

  private renderWith(node: WithNode, scope: Scope, out: OutputBuffer): void {
    const s = this.frame(node.body, scope);
    node.targets.forEach((t, i) => this.bind(t, this.eval(node.values[i], scope), s));
    this.renderBody(node.body, s, out);
  }

  protected makeMacro(name: string, node: MacroNode, scope: Scope): PyCallable {
    const { positional, keywords } = splitArgs(node.args.children);
    const names = [...positional, ...keywords.map((k) => k.key)].map((n) => (n as SymbolNode).value);
    const defaults = new Map(keywords.map((k) => [(k.key as SymbolNode).value, k.value]));
    const used = symbolsIn(node.body);
    const invoke = (args: unknown[], kwargs: Kwargs): string => {
      this.budget.step();
      if (this.macroDepth >= MAX_MACRO_DEPTH) pyRaise('RecursionError', 'maximum recursion depth exceeded');
      this.macroDepth++;
      try {
        const s = this.frame(node.body, scope);
        this.bindMacroArgs(name, names, defaults, used, args, kwargs, s);
        return this.capture(node.body, s);
      } finally {
        this.macroDepth--;
      }
    };
    return new PyCallable(name, invoke, 'Macro');
  }

  private bindMacroArgs(
    name: string,
    names: string[],
    defaults: Map<string, Node>,
    used: Set<string>,
    args: unknown[],
    kwargs: Kwargs,
    s: Scope,
  ): void {
    const extra = newDict();
    for (const [k, v] of kwargs) {
      if (names.includes(k) || k === 'caller') continue;
      if (!used.has('kwargs')) pyRaise('TypeError', `macro '${name}' takes no keyword argument '${k}'`);
      dictSet(extra, k, v);
    }
    if (args.length > names.length && !used.has('varargs')) {
      pyRaise('TypeError', `macro '${name}' takes not more than ${names.length} argument(s)`);
    }
    names.forEach((n, i) => {
      if (i < args.length) {
        if (kwargs.has(n)) pyRaise('TypeError', `macro '${name}' got multiple values for argument '${n}'`);
        s.set(n, args[i]);
      } else if (kwargs.has(n)) {
        s.set(n, kwargs.get(n));
      } else if (defaults.has(n)) {
        s.set(n, this.eval(defaults.get(n) as Node, s));
      } else {
        s.set(n, new Undefined(`parameter ${strRepr(n)} was not provided`));
      }
    });
    if (used.has('varargs')) s.set('varargs', tuple(args.slice(names.length)));
    if (used.has('kwargs')) s.set('kwargs', extra);
    if (kwargs.has('caller')) s.set('caller', kwargs.get('caller'));
    else if (used.has('caller')) s.set('caller', new Undefined('No caller defined'));
  }
}

/** Python's tuple unpacking, with its ValueErrors. */
function unpack(value: unknown, count: number): unknown[] {
  const values = iterate(value);
  if (values.length > count) pyRaise('ValueError', `too many values to unpack (expected ${count})`);
  if (values.length < count) pyRaise('ValueError', `not enough values to unpack (expected ${count}, got ${values.length})`);
  return values;
}

/** Names a macro body mentions (to know whether it takes `varargs`, `kwargs`, `caller`). */
function symbolsIn(node: Node | null | undefined, out = new Set<string>()): Set<string> {
  if (!node) return out;
  if (node.typename === 'Symbol') out.add((node as SymbolNode).value);
  for (const child of childNodes(node)) symbolsIn(child, out);
  return out;
}

/** Runs `fn`, giving any failure without a line the line of `node`. */
function atLine(node: Node, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw withLine(e, node.lineno + 1);
  }
}

function withLine(e: unknown, line: number): JinjaFault {
  let fault: JinjaFault;
  if (e instanceof JinjaFault) fault = e;
  else if (e instanceof RangeError && /call stack/.test(e.message)) fault = new JinjaRuntimeError('RecursionError', 'maximum recursion depth exceeded');
  else fault = new JinjaRuntimeError('Error', e instanceof Error ? e.message : String(e));
  if (fault.line === undefined) fault.line = line;
  return fault;
}
