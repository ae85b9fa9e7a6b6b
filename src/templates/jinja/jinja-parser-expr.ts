/**
 * Jinja2's operator grammar on top of nunjucks' parser. Where nunjucks differs, Jinja2 wins:
 * `10 * 3 % 7` is `(10 * 3) % 7`, `is` binds like a filter, `not in` chains with comparisons, `===` does
 * not exist, `x is divisibleby 3` takes its argument without parentheses.
 */
import { Node, NodeList, TestNode, makeNode } from './jinja-ast';
import { JinjaPrimaryParser } from './jinja-parser-primary';
import { T, Token, node } from './nunjucks-internals';

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);

export class JinjaExpressionParser extends JinjaPrimaryParser {
  override parseInlineIf(): Node {
    let expr = this.parseOr();
    while (this.skipSymbol('if')) {
      const cond = this.parseOr();
      const otherwise = this.skipSymbol('else') ? this.parseInlineIf() : null;
      const body = expr;
      expr = node('InlineIf', body, cond, body, otherwise);
    }
    return expr;
  }

  override parseIn(): Node {
    return this.parseCompare();
  }

  override parseCompare(): Node {
    const expr = this.parseConcat();
    const ops: Node[] = [];
    for (;;) {
      const tok = this.peekToken();
      if (tok && tok.type === T.OPERATOR && COMPARE_OPS.has(tok.value)) {
        this.nextToken();
        ops.push(node('CompareOperand', tok, this.parseConcat(), tok.value));
      } else if (tok && tok.type === T.OPERATOR && (tok.value === '===' || tok.value === '!==')) {
        this.syntaxError("unexpected '='", tok);
      } else if (tok && tok.type === T.SYMBOL && tok.value === 'in') {
        this.nextToken();
        ops.push(node('CompareOperand', tok, this.parseConcat(), 'in'));
      } else if (tok && tok.type === T.SYMBOL && tok.value === 'not') {
        this.nextToken();
        if (!this.skipSymbol('in')) this.syntaxError("expected token 'in'", this.peekToken());
        ops.push(node('CompareOperand', tok, this.parseConcat(), 'notin'));
      } else {
        break;
      }
    }
    return ops.length ? node('Compare', expr, expr, ops) : expr;
  }

  /** `+` and `-`, left to right at one level (nunjucks nests them). */
  override parseAdd(): Node {
    let left = this.parseMul();
    for (;;) {
      if (this.skipValue(T.OPERATOR, '+')) left = node('Add', left, left, this.parseMul());
      else if (this.skipValue(T.OPERATOR, '-')) left = node('Sub', left, left, this.parseMul());
      else return left;
    }
  }

  /** `*`, `/`, `//` and `%` at one level, left to right. */
  override parseMul(): Node {
    const kinds: Record<string, string> = { '*': 'Mul', '/': 'Div', '//': 'FloorDiv', '%': 'Mod' };
    let left = this.parsePow();
    for (;;) {
      const tok = this.peekToken();
      if (!tok || tok.type !== T.OPERATOR || !(tok.value in kinds)) return left;
      this.nextToken();
      left = node(kinds[tok.value], left, left, this.parsePow());
    }
  }

  /** Filters and tests bind tighter than any operator: `x + y|int` filters `y`; `a is defined` tests `a`. */
  override parseFilter(expr: Node): Node {
    let out = expr;
    for (;;) {
      const tok = this.peekToken();
      if (tok && tok.type === T.PIPE) {
        this.nextToken();
        const name = this.parseFilterName();
        const args = this.peekIs(T.LEFT_PAREN) ? (this.parseSignature() as NodeList).children : [];
        out = node('Filter', name, name, node('NodeList', name, [out, ...args]));
      } else if (tok && tok.type === T.SYMBOL && tok.value === 'is') {
        this.nextToken();
        out = this.parseTest(out, tok);
      } else {
        return out;
      }
    }
  }

  private parseTest(subject: Node, isTok: Token): Node {
    const negated = this.skipSymbol('not');
    const nameTok = this.next();
    if (![T.SYMBOL, T.NONE, T.BOOLEAN].includes(nameTok.type)) this.syntaxError(`expected test name, got '${nameTok.value}'`, nameTok);
    let name = nameTok.value;
    while (this.skipValue(T.OPERATOR, '.')) name += `.${this.expect(T.SYMBOL).value}`;
    let args: Node[] = [];
    const tok = this.peekToken();
    if (tok && tok.type === T.LEFT_PAREN) {
      args = (this.parseSignature() as NodeList).children;
    } else if (tok && this.startsTestArgument(tok)) {
      if (tok.type === T.SYMBOL && tok.value === 'is') this.syntaxError('You cannot chain multiple tests with is', tok);
      args = [this.parsePrimary()];
    }
    const test = makeNode<TestNode>('Test', isTok, { node: subject, name, args });
    return negated ? node('Not', isTok, test) : test;
  }

  /** Jinja2 lets one argument follow a test without parentheses: `x is divisibleby 3`. */
  private startsTestArgument(tok: Token): boolean {
    if (tok.type === T.SYMBOL) return !['else', 'or', 'and'].includes(tok.value);
    return [T.STRING, T.INT, T.FLOAT, T.BOOLEAN, T.NONE, T.LEFT_BRACKET, T.LEFT_CURLY].includes(tok.type);
  }
}
