/**
 * The checks Jinja2 makes when compiling, so `compile()` rejects what Jinja2 would reject at submit time:
 * unknown filters and tests (except inside `if` conditions and bodies and inline ifs, where Jinja2 defers
 * them to render time), misplaced macro arguments, assignments to `loop`.
 */
import { FilterNode, ForNode, MacroNode, Node, NodeList, SetNode, SymbolNode, TestNode, childNodes } from './jinja-ast';
import { JinjaSyntaxError } from './jinja-errors';
import { hasFilter, hasTest } from './jinja-filters';

export function validateTemplate(root: NodeList): void {
  walk(root, false);
}

function fail(message: string, node: Node): never {
  throw new JinjaSyntaxError(message, node.lineno + 1);
}

/** `soft` is Jinja2's "soft frame": inside an `if` or an inline if, unknown filters fail only when reached. */
function walk(node: Node | null | undefined, soft: boolean): void {
  if (!node) return;
  switch (node.typename) {
    case 'Filter': {
      const name = (node as FilterNode).name.value;
      if (!soft && !hasFilter(name)) fail(`No filter named '${name}'.`, node);
      (node as FilterNode).args.children.forEach((c) => walk(c, soft));
      return;
    }
    case 'Test': {
      const test = node as TestNode;
      if (!soft && !hasTest(test.name)) fail(`No test named '${test.name}'.`, node);
      walk(test.node, soft);
      test.args.forEach((c) => walk(c, soft));
      return;
    }
    case 'If':
    case 'InlineIf':
      childNodes(node).forEach((c) => walk(c, true));
      return;
    case 'For': {
      const loop = node as ForNode;
      const targets = loop.name.typename === 'Symbol' ? [loop.name] : (loop.name as NodeList).children;
      if (targets.some((t) => (t as SymbolNode).value === 'loop')) fail("Can't assign to special loop variable in for-loop target", node);
      walk(loop.arr, soft);
      walk(loop.test, false);
      walk(loop.body, false);
      walk(loop.else_, false);
      return;
    }
    case 'Macro':
    case 'Caller':
      checkSignature(node as MacroNode);
      walk((node as MacroNode).args, false);
      walk((node as MacroNode).body, false);
      return;
    case 'Set': {
      const set = node as SetNode;
      walk(set.value, soft);
      walk(set.body, false);
      return;
    }
    case 'With':
    case 'Capture':
    case 'Block':
      childNodes(node).forEach((c) => walk(c, false));
      return;
    default:
      childNodes(node).forEach((c) => walk(c, soft));
  }
}

function checkSignature(node: MacroNode): void {
  for (const arg of node.args.children) {
    if (arg.typename === 'KeywordArgs') continue;
    if (arg.typename !== 'Symbol') fail('expected a name for a macro argument', arg);
  }
}
