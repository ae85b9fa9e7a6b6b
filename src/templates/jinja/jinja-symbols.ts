/**
 * Jinja2 resolves names statically (jinja2/idtracking.py): a name that a frame (the template, a loop body,
 * a macro...) assigns, without reading it first, starts that frame as *missing*, and nested frames that
 * read it before the assignment see an undefined variable, not the context's value:
 * `{% for i in xs %}{{ n }}{% endfor %}{% set n = 1 %}` fails with `'n' is undefined` even when the
 * context has `n`. This module finds those names per frame, so the interpreter can start frames the same way.
 */
import {
  BlockNode,
  FilterNode,
  ForNode,
  IfNode,
  LookupValNode,
  MacroNode,
  Node,
  NodeList,
  PairNode,
  SetNode,
  SymbolNode,
  WithNode,
  childNodes,
  splitArgs,
} from './jinja-ast';

type Load = 'param' | 'resolve' | 'alias' | 'undefined';

class Symbols {
  refs = new Map<string, Load>();
  stores = new Set<string>();

  constructor(readonly parent?: Symbols) {}

  hasRef(name: string): boolean {
    return this.refs.has(name) || (this.parent?.hasRef(name) ?? false);
  }

  load(name: string): void {
    if (!this.hasRef(name)) this.refs.set(name, 'resolve');
  }

  store(name: string): void {
    this.stores.add(name);
    if (!this.refs.has(name)) this.refs.set(name, this.parent?.hasRef(name) ? 'alias' : 'undefined');
  }

  param(name: string): void {
    this.stores.add(name);
    this.refs.set(name, 'param');
  }

  copy(): Symbols {
    const c = new Symbols(this.parent);
    c.refs = new Map(this.refs);
    c.stores = new Set(this.stores);
    return c;
  }

  /** After an `if`: a name assigned in only some branches keeps its outer or context value. */
  branchUpdate(branches: Symbols[]): void {
    const counts = new Map<string, number>();
    for (const b of branches) {
      for (const t of b.stores) if (!this.stores.has(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const b of branches) {
      b.refs.forEach((v, k) => this.refs.set(k, v));
      b.stores.forEach((s) => this.stores.add(s));
    }
    for (const [name, count] of counts) {
      if (count !== branches.length) this.refs.set(name, this.parent?.hasRef(name) ? 'alias' : 'resolve');
    }
  }
}

/** Names each frame body must start as missing, keyed by the body's node list. */
export type MissingAtEntry = WeakMap<NodeList, string[]>;

export function analyzeFrames(root: NodeList): MissingAtEntry {
  const result: MissingAtEntry = new WeakMap();
  analyzeFrame(root, undefined, (v) => root.children.forEach((c) => v.visit(c)), result);
  return result;
}

function analyzeFrame(body: NodeList, parent: Symbols | undefined, fill: (v: FrameVisitor) => void, out: MissingAtEntry): void {
  const visitor = new FrameVisitor(new Symbols(parent));
  fill(visitor);
  const sym = visitor.sym;
  out.set(body, [...sym.refs].filter(([, load]) => load === 'undefined').map(([name]) => name));
  body.children.forEach((c) => analyzeNested(c, sym, out));
}

/** Finds the frames directly inside a frame's content and analyzes each with that frame as parent. */
function analyzeNested(node: Node | null | undefined, sym: Symbols, out: MissingAtEntry): void {
  if (!node) return;
  switch (node.typename) {
    case 'For': {
      const loop = node as ForNode;
      const targets = loop.name.typename === 'Symbol' ? [loop.name] : (loop.name as NodeList).children;
      analyzeFrame(
        loop.body,
        sym,
        (v) => {
          targets.forEach((t) => v.sym.param((t as SymbolNode).value));
          v.sym.param('loop');
          loop.body.children.forEach((c) => v.visit(c));
        },
        out,
      );
      if (loop.else_) analyzeFrame(loop.else_, sym, (v) => loop.else_?.children.forEach((c) => v.visit(c)), out);
      return;
    }
    case 'Macro':
    case 'Caller': {
      const macro = node as MacroNode;
      const { positional, keywords } = splitArgs(macro.args.children);
      analyzeFrame(
        macro.body,
        sym,
        (v) => {
          [...positional, ...keywords.map((k) => k.key)].forEach((a) => v.sym.param((a as SymbolNode).value));
          keywords.forEach((k) => v.visit(k.value));
          macro.body.children.forEach((c) => v.visit(c));
        },
        out,
      );
      return;
    }
    case 'With': {
      const w = node as WithNode;
      analyzeFrame(
        w.body,
        sym,
        (v) => {
          w.targets.forEach((t) => v.storeTarget(t));
          w.body.children.forEach((c) => v.visit(c));
        },
        out,
      );
      return;
    }
    case 'Block':
    case 'Capture': {
      const { body } = node as BlockNode;
      analyzeFrame(body, sym, (v) => body.children.forEach((c) => v.visit(c)), out);
      return;
    }
    case 'Set': {
      const set = node as SetNode;
      analyzeNested(set.value, sym, out);
      analyzeNested(set.body, sym, out);
      return;
    }
    default:
      childNodes(node).forEach((c) => analyzeNested(c, sym, out));
  }
}

/** Jinja2's FrameSymbolVisitor: the loads and stores of one frame, not descending into nested frames. */
class FrameVisitor {
  constructor(public sym: Symbols) {}

  visit(node: Node | null | undefined): void {
    if (!node) return;
    switch (node.typename) {
      case 'Symbol':
        return this.sym.load((node as SymbolNode).value);
      case 'Set': {
        const set = node as SetNode;
        this.visit(set.value);
        return set.targets.forEach((t) => this.storeTarget(t));
      }
      case 'If':
        return this.visitIf(node as IfNode);
      case 'For':
        return this.visit((node as ForNode).arr);
      case 'Macro':
        return this.sym.store((node as MacroNode).name.value);
      case 'With':
        return (node as WithNode).values.forEach((v) => this.visit(v));
      case 'Caller':
      case 'Capture':
      case 'Block':
        return;
      case 'KeywordArgs':
        return ((node as NodeList).children as PairNode[]).forEach((p) => this.visit(p.value));
      case 'Filter':
        return (node as FilterNode).args.children.forEach((c) => this.visit(c));
      case 'LookupVal': {
        const lookup = node as LookupValNode;
        this.visit(lookup.target);
        if (!lookup.dot) this.visit(lookup.val);
        return;
      }
      default:
        childNodes(node).forEach((c) => this.visit(c));
    }
  }

  storeTarget(target: Node): void {
    if (target.typename === 'Symbol') this.sym.store((target as SymbolNode).value);
    else if (target.typename === 'Tuple') (target as NodeList).children.forEach((t) => this.storeTarget(t));
    else this.visit((target as LookupValNode).target);
  }

  /** `if` / `elif`s / `else` as Jinja2 sees them: three branches, each analyzed on a copy of the symbols. */
  private visitIf(node: IfNode): void {
    this.visit(node.cond);
    const elifs: IfNode[] = [];
    let rest = node.else_;
    while (rest && rest.typename === 'If') {
      elifs.push(rest as IfNode);
      rest = (rest as IfNode).else_;
    }
    const otherwise = rest as NodeList | null;
    const branch = (fn: () => void): Symbols => {
      const outer = this.sym;
      this.sym = outer.copy();
      fn();
      const result = this.sym;
      this.sym = outer;
      return result;
    };
    const body = branch(() => node.body.children.forEach((c) => this.visit(c)));
    const elif = branch(() => elifs.forEach((e) => this.visitIf({ ...e, else_: null } as IfNode)));
    const last = branch(() => otherwise?.children.forEach((c) => this.visit(c)));
    this.sym.branchUpdate([body, elif, last]);
  }
}
