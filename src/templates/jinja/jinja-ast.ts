/**
 * The template AST: nunjucks' parser nodes (typed here, @types/nunjucks does not cover them) plus the few
 * node kinds Jinja2 has and nunjucks lacks (tuples, slices, tests with `is`, `with`), which the parser
 * builds as plain objects.
 */

export interface Node {
  readonly typename: string;
  lineno: number;
  colno: number;
}

export interface NodeList extends Node {
  children: Node[];
}

export interface Value extends Node {
  value: unknown;
}

export interface SymbolNode extends Node {
  value: string;
}

export interface PairNode extends Node {
  key: Node;
  value: Node;
}

export interface LookupValNode extends Node {
  target: Node;
  val: Node;
  /** `x.name` (attribute first) rather than `x['name']` (item first). */
  dot?: boolean;
}

export interface IfNode extends Node {
  cond: Node;
  body: NodeList;
  else_: NodeList | IfNode | null;
}

export interface InlineIfNode extends Node {
  cond: Node;
  body: Node;
  else_: Node | null;
}

export interface ForNode extends Node {
  name: Node;
  arr: Node;
  body: NodeList;
  else_: NodeList | null;
  /** `{% for x in xs if x.enabled %}` */
  test?: Node | null;
  recursive?: boolean;
}

export interface MacroNode extends Node {
  name: SymbolNode;
  args: NodeList;
  body: NodeList;
}

export interface FunCallNode extends Node {
  name: Node;
  args: NodeList;
}

export interface FilterNode extends FunCallNode {
  name: SymbolNode;
}

export interface TestNode extends Node {
  node: Node;
  name: string;
  args: Node[];
}

export interface SetNode extends Node {
  targets: Node[];
  value: Node | null;
  body: CaptureNode | null;
}

export interface WithNode extends Node {
  targets: Node[];
  values: Node[];
  body: NodeList;
}

export interface CaptureNode extends Node {
  body: NodeList;
}

export interface BlockNode extends Node {
  name: SymbolNode;
  body: NodeList;
}

export interface BinOpNode extends Node {
  left: Node;
  right: Node;
}

export interface UnaryOpNode extends Node {
  target: Node;
}

export interface CompareOperandNode extends Node {
  expr: Node;
  type: string;
}

export interface CompareNode extends Node {
  expr: Node;
  ops: CompareOperandNode[];
}

export interface SliceNode extends Node {
  start: Node | null;
  stop: Node | null;
  step: Node | null;
}

/** Builds a node of a kind nunjucks does not have. */
export function makeNode<T extends Node>(typename: string, at: { lineno: number; colno: number }, fields: Omit<T, keyof Node>): T {
  return { typename, lineno: at.lineno, colno: at.colno, ...fields } as T;
}

/** The positional arguments of a call, and its `name=value` pairs (nunjucks keeps them as a last KeywordArgs node). */
export function splitArgs(args: Node[]): { positional: Node[]; keywords: PairNode[] } {
  const last = args[args.length - 1];
  if (last && last.typename === 'KeywordArgs') {
    return { positional: args.slice(0, -1), keywords: (last as NodeList).children as PairNode[] };
  }
  return { positional: args, keywords: [] };
}

/** The nodes directly below `node`, for walking the tree. */
export function childNodes(node: Node): (Node | null | undefined)[] {
  const n = node as unknown as Record<string, unknown>;
  if (Array.isArray(n.children)) return n.children as Node[];
  const fields = CHILD_FIELDS[node.typename] ?? [];
  return fields.flatMap((f) => {
    const v = n[f];
    return Array.isArray(v) ? (v as Node[]) : [v as Node | null | undefined];
  });
}

const CHILD_FIELDS: Record<string, string[]> = {
  Pair: ['key', 'value'],
  LookupVal: ['target', 'val'],
  If: ['cond', 'body', 'else_'],
  InlineIf: ['cond', 'body', 'else_'],
  For: ['name', 'arr', 'test', 'body', 'else_'],
  Macro: ['name', 'args', 'body'],
  Caller: ['name', 'args', 'body'],
  FunCall: ['name', 'args'],
  Filter: ['name', 'args'],
  Test: ['node', 'args'],
  Set: ['targets', 'value', 'body'],
  With: ['targets', 'values', 'body'],
  Capture: ['body'],
  Block: ['body'],
  Compare: ['expr', 'ops'],
  CompareOperand: ['expr'],
  Slice: ['start', 'stop', 'step'],
  Not: ['target'],
  Neg: ['target'],
  Pos: ['target'],
  And: ['left', 'right'],
  Or: ['left', 'right'],
  Add: ['left', 'right'],
  Sub: ['left', 'right'],
  Mul: ['left', 'right'],
  Div: ['left', 'right'],
  FloorDiv: ['left', 'right'],
  Mod: ['left', 'right'],
  Pow: ['left', 'right'],
  Concat: ['left', 'right'],
};
