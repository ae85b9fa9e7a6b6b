/**
 * Expression evaluation with Python semantics. Undefined names evaluate to an Undefined value rather than
 * failing at once, as in Jinja2: `x is defined` and `x|default(...)` work, and any real use (printing,
 * `if x`, `x.y`, `x + 1`) fails with Jinja2's message.
 */
import type { RenderBudget } from './jinja-budget';
import {
  BinOpNode,
  CaptureNode,
  CompareNode,
  FilterNode,
  FunCallNode,
  InlineIfNode,
  LookupValNode,
  MacroNode,
  Node,
  NodeList,
  PairNode,
  SliceNode,
  SymbolNode,
  TestNode,
  UnaryOpNode,
  Value,
  splitArgs,
} from './jinja-ast';
import { FilterContext } from './jinja-filter-kit';
import { applyFilter, applyTest } from './jinja-filters';
import { LoopContext } from './jinja-loop';
import type { Scope } from './jinja-scope';
import { getAttr, getItem } from './py-lookup';
import * as ops from './py-ops';
import { pyStr } from './py-str';
import {
  Kwargs,
  PyCallable,
  PySlice,
  Undefined,
  dictSet,
  isDict,
  isInt,
  newDict,
  pyRaise,
  truthy,
  tuple,
  typeName,
} from './py-values';

type Binary = (a: unknown, b: unknown, budget: RenderBudget) => unknown;

const BINARY: Record<string, Binary> = {
  Add: ops.pyAdd,
  Sub: ops.pySub,
  Mul: ops.pyMul,
  Div: ops.pyDiv,
  FloorDiv: ops.pyFloorDiv,
  Mod: ops.pyMod,
  Pow: ops.pyPow,
  Concat: ops.pyConcat,
};

export abstract class Evaluator implements FilterContext {
  constructor(readonly budget: RenderBudget) {}

  /** Renders statements to a string (macro bodies, `{% set %}` and `{% filter %}` blocks). */
  protected abstract capture(body: NodeList, scope: Scope): string;

  /** The scope for a nested frame's body (see jinja-symbols). */
  protected abstract frame(body: NodeList, parent: Scope): Scope;

  /** A macro value closing over `scope` (also `{% call %}`'s `caller`). */
  protected abstract makeMacro(name: string, node: MacroNode, scope: Scope): PyCallable;

  callFilter(name: string, value: unknown, args: unknown[], kwargs: Kwargs): unknown {
    return applyFilter(name, value, args, kwargs, this);
  }

  callTest(name: string, value: unknown, args: unknown[], kwargs: Kwargs): boolean {
    return applyTest(name, value, args, kwargs, this);
  }

  eval(node: Node, scope: Scope): unknown {
    switch (node.typename) {
      case 'Literal':
        return (node as Value).value;
      case 'Symbol':
        return scope.lookup((node as SymbolNode).value);
      case 'Array':
        return (node as NodeList).children.map((c) => this.eval(c, scope));
      case 'Tuple':
        return tuple((node as NodeList).children.map((c) => this.eval(c, scope)));
      case 'Dict':
        return this.evalDict(node as NodeList, scope);
      case 'LookupVal':
        return this.evalLookup(node as LookupValNode, scope);
      case 'Slice':
        return this.evalSlice(node as SliceNode, scope);
      case 'FunCall':
        return this.evalCall(node as FunCallNode, scope);
      case 'Filter':
        return this.evalFilter(node as FilterNode, scope);
      case 'Test':
        return this.evalTest(node as TestNode, scope);
      case 'Compare':
        return this.evalCompare(node as CompareNode, scope);
      case 'And': {
        const left = this.eval((node as BinOpNode).left, scope);
        return truthy(left) ? this.eval((node as BinOpNode).right, scope) : left;
      }
      case 'Or': {
        const left = this.eval((node as BinOpNode).left, scope);
        return truthy(left) ? left : this.eval((node as BinOpNode).right, scope);
      }
      case 'Not':
        return !truthy(this.eval((node as UnaryOpNode).target, scope));
      case 'Neg':
        return ops.pyNeg(this.eval((node as UnaryOpNode).target, scope));
      case 'Pos':
        return ops.pyPos(this.eval((node as UnaryOpNode).target, scope));
      case 'InlineIf':
        return this.evalInlineIf(node as InlineIfNode, scope);
      case 'Caller':
        return this.makeMacro('caller', node as MacroNode, scope);
      case 'Capture': {
        const { body } = node as CaptureNode;
        return this.capture(body, this.frame(body, scope));
      }
      default: {
        const binary = BINARY[node.typename];
        if (!binary) return pyRaise('TemplateSyntaxError', `unsupported expression '${node.typename}'`);
        const n = node as BinOpNode;
        return binary(this.eval(n.left, scope), this.eval(n.right, scope), this.budget);
      }
    }
  }

  /** Positional and keyword argument values of a call, filter or test. */
  evalArgs(argNodes: Node[], scope: Scope): { args: unknown[]; kwargs: Kwargs } {
    const { positional, keywords } = splitArgs(argNodes);
    const kwargs: Kwargs = new Map();
    for (const pair of keywords) kwargs.set((pair.key as SymbolNode).value, this.eval(pair.value, scope));
    return { args: positional.map((a) => this.eval(a, scope)), kwargs };
  }

  callValue(callee: unknown, args: unknown[], kwargs: Kwargs): unknown {
    if (callee instanceof Undefined) callee.fail();
    if (callee instanceof PyCallable) return callee.invoke(args, kwargs);
    if (callee instanceof LoopContext) return callee.call(args);
    return pyRaise('TypeError', `'${typeName(callee)}' object is not callable`);
  }

  private evalDict(node: NodeList, scope: Scope): unknown {
    const out = newDict();
    for (const pair of node.children as PairNode[]) {
      const key = this.eval(pair.key, scope);
      if (key instanceof Undefined) key.fail();
      if (Array.isArray(key) || isDict(key)) pyRaise('TypeError', `unhashable type: '${typeName(key)}'`);
      dictSet(out, pyStr(key), this.eval(pair.value, scope));
    }
    return out;
  }

  private evalLookup(node: LookupValNode, scope: Scope): unknown {
    const target = this.eval(node.target, scope);
    if (node.dot) return getAttr(target, (node.val as Value).value as string, this.budget);
    return getItem(target, this.eval(node.val, scope), this.budget);
  }

  private evalSlice(node: SliceNode, scope: Scope): PySlice {
    const part = (n: Node | null): unknown => {
      if (!n) return null;
      const v = this.eval(n, scope);
      if (v instanceof Undefined) v.fail();
      if (v !== null && !isInt(v) && typeof v !== 'boolean') {
        pyRaise('TypeError', 'slice indices must be integers or None or have an __index__ method');
      }
      return v;
    };
    return new PySlice(part(node.start), part(node.stop), part(node.step));
  }

  private evalCall(node: FunCallNode, scope: Scope): unknown {
    const callee = this.eval(node.name, scope);
    const { args, kwargs } = this.evalArgs(node.args.children, scope);
    return this.callValue(callee, args, kwargs);
  }

  private evalFilter(node: FilterNode, scope: Scope): unknown {
    const [valueNode, ...rest] = node.args.children;
    const value = this.eval(valueNode, scope);
    const { args, kwargs } = this.evalArgs(rest, scope);
    return this.callFilter(node.name.value, value, args, kwargs);
  }

  private evalTest(node: TestNode, scope: Scope): boolean {
    const value = this.eval(node.node, scope);
    const { args, kwargs } = this.evalArgs(node.args, scope);
    return this.callTest(node.name, value, args, kwargs);
  }

  private evalCompare(node: CompareNode, scope: Scope): boolean {
    let left = this.eval(node.expr, scope);
    for (const op of node.ops) {
      const right = this.eval(op.expr, scope);
      let ok: boolean;
      if (op.type === 'in') ok = ops.pyContains(right, left);
      else if (op.type === 'notin') ok = !ops.pyContains(right, left);
      else ok = ops.pyCompare(op.type as ops.CompareOp, left, right);
      if (!ok) return false;
      left = right;
    }
    return true;
  }

  private evalInlineIf(node: InlineIfNode, scope: Scope): unknown {
    if (truthy(this.eval(node.cond, scope))) return this.eval(node.body, scope);
    if (node.else_) return this.eval(node.else_, scope);
    // Jinja2 uses the lenient Undefined here even under StrictUndefined: it prints as ''.
    return new Undefined(
      `the inline if-expression on line ${node.lineno + 1} evaluated to false and no else section was defined.`,
      false,
    );
  }
}
