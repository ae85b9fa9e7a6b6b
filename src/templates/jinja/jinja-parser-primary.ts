/**
 * Jinja2's primary expressions on nunjucks' parser: literals (`True`, `None`, `1e3`, `'a' 'b'`), names,
 * tuples, lists and dicts with trailing commas and expression keys, calls, `.name`, `.0`, `[i]` and
 * `[start:stop:step]`. Regex literals and other nunjucks-only syntax are errors, as in Jinja2.
 */
import { JinjaSyntaxError } from './jinja-errors';
import type { JinjaTokenizer } from './jinja-lexer';
import { Node, NodeList, PairNode, SliceNode, makeNode } from './jinja-ast';
import { NunjucksParserBase, T, Token, node } from './nunjucks-internals';
import { pyFloat } from './py-values';

const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const INT_LITERAL = /^\d[\d_]*$/;
const LITERAL_NAMES: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null };

export class JinjaPrimaryParser extends NunjucksParserBase {
  /** A Jinja2 syntax error at `tok` (or at the end of the template). */
  protected syntaxError(message: string, tok: Token | null): never {
    throw new JinjaSyntaxError(message, tok ? tok.lineno + 1 : (this.tokens as JinjaTokenizer).lastTokenLine);
  }

  protected next(): Token {
    const tok = this.nextToken();
    return tok ?? this.syntaxError('unexpected end of template', null);
  }

  protected peekIs(type: string, value?: string): boolean {
    const tok = this.peekToken();
    return tok !== null && tok.type === type && (value === undefined || tok.value === value);
  }

  override parsePrimary(noPostfix?: boolean): Node {
    const tok = this.next();
    let expr: Node;
    if (tok.type === T.STRING) {
      let text = tok.value;
      while (this.peekIs(T.STRING)) text += this.next().value;
      expr = node('Literal', tok, text);
    } else if (tok.type === T.INT) {
      expr = node('Literal', tok, parseInt(tok.value, 10));
    } else if (tok.type === T.FLOAT && tok.value.endsWith('.')) {
      // nunjucks lexes `17.keys()` as the float `17.` then `keys`: Jinja2 sees 17, `.`, `keys`.
      const int = node('Literal', tok, parseInt(tok.value, 10));
      return noPostfix ? int : this.parsePostfix(int, tok);
    } else if (tok.type === T.FLOAT || (tok.type === T.SYMBOL && /^\d[\d_]*[eE]/.test(tok.value))) {
      expr = node('Literal', tok, pyFloat(Number(this.exponentLiteral(tok).replace(/_/g, ''))));
    } else if (tok.type === T.BOOLEAN || tok.type === T.NONE || tok.type === T.SYMBOL) {
      expr = this.nameOrLiteral(tok);
    } else if ([T.LEFT_PAREN, T.LEFT_BRACKET, T.LEFT_CURLY].includes(tok.type)) {
      this.pushToken(tok);
      expr = this.parseAggregate();
    } else {
      return this.syntaxError(`unexpected '${String(tok.type === T.REGEX ? 'r/' : tok.value)}'`, tok);
    }
    return noPostfix ? expr : this.parsePostfix(expr);
  }

  /**
   * nunjucks lexes `1.5e3` as `1.5` `e3`, `1e16` as a name and `1e-5` as `1e` `-` `5`: the adjacent pieces
   * are put back together into Python's float literal.
   */
  private exponentLiteral(tok: Token): string {
    let text = tok.value;
    const adjacent = (next: Token | null): next is Token =>
      next !== null && next.lineno === tok.lineno && next.colno === tok.colno + text.length;
    if (tok.type === T.FLOAT && adjacent(this.peekToken()) && /^[eE]\d*$/.test((this.peekToken() as Token).value)) {
      text += this.next().value;
    }
    if (/[eE]$/.test(text)) {
      const sign = this.peekToken();
      if (!adjacent(sign) || (sign.value !== '-' && sign.value !== '+')) return this.syntaxError(`invalid number '${text}'`, tok);
      text += this.next().value;
      const digits = this.peekToken();
      if (!adjacent(digits) || digits.type !== T.INT) return this.syntaxError(`invalid number '${text}'`, tok);
      text += this.next().value;
    }
    if (!/^\d[\d_]*(\.\d*)?([eE][+-]?\d+)?$/.test(text)) this.syntaxError(`invalid number '${text}'`, tok);
    return text;
  }

  private nameOrLiteral(tok: Token): Node {
    if (Object.prototype.hasOwnProperty.call(LITERAL_NAMES, tok.value)) return node('Literal', tok, LITERAL_NAMES[tok.value]);
    if (INT_LITERAL.test(tok.value)) return node('Literal', tok, parseInt(tok.value.replace(/_/g, ''), 10));
    if (!NAME.test(tok.value)) this.syntaxError(`unexpected char in '${tok.value}'`, tok);
    return node('Symbol', tok, tok.value);
  }

  /** `(...)` is a group or a tuple, `[...]` a list, `{...}` a dict with expression keys; trailing commas allowed. */
  override parseAggregate(): Node {
    const open = this.next();
    const close = open.type === T.LEFT_PAREN ? T.RIGHT_PAREN : open.type === T.LEFT_BRACKET ? T.RIGHT_BRACKET : T.RIGHT_CURLY;
    const items: Node[] = [];
    let sawComma = false;
    while (!this.skip(close)) {
      if (items.length > 0) {
        if (!this.skip(T.COMMA)) this.syntaxError(`expected token ',', got '${this.peekToken()?.value ?? 'end of template'}'`, this.peekToken());
        sawComma = true;
        if (this.skip(close)) break;
      }
      if (open.type === T.LEFT_CURLY) {
        const key = this.parseExpression();
        if (!this.skip(T.COLON)) this.syntaxError("expected token ':'", this.peekToken());
        items.push(node<PairNode>('Pair', key, key, this.parseExpression()));
      } else {
        items.push(this.parseExpression());
      }
    }
    if (open.type === T.LEFT_BRACKET) return node('Array', open, items);
    if (open.type === T.LEFT_CURLY) return node('Dict', open, items);
    if (items.length === 1 && !sawComma) return items[0];
    return makeNode<NodeList>('Tuple', open, { children: items });
  }

  /** Calls, `.name`, `.0` and `[index]` / `[start:stop:step]`. */
  override parsePostfix(target: Node, dotConsumed?: Token): Node {
    let expr = target;
    /** Set when the lexer swallowed the `.` into a float token (`x.0.name`, `17.keys`). */
    let pendingDot: Token | null = dotConsumed ?? null;
    for (;;) {
      const tok = pendingDot ?? this.peekToken();
      if (!pendingDot && tok && tok.type === T.LEFT_PAREN) {
        expr = node('FunCall', tok, expr, this.parseSignature());
      } else if (!pendingDot && tok && tok.type === T.LEFT_BRACKET) {
        this.nextToken();
        expr = node('LookupVal', tok, expr, this.parseSubscript());
      } else if (pendingDot || (tok && tok.type === T.OPERATOR && tok.value === '.')) {
        const dot = tok as Token;
        if (!pendingDot) this.nextToken();
        pendingDot = null;
        const attr = this.next();
        if (attr.type === T.INT || attr.type === T.FLOAT) {
          // nunjucks lexes `x.0.name` as `x` `.` `0.` `name`: the float holds indexes and maybe the next dot.
          const parts = attr.value.split('.');
          for (const part of parts.filter((p) => p !== '')) expr = node('LookupVal', dot, expr, node('Literal', attr, parseInt(part, 10)));
          if (attr.value.endsWith('.')) pendingDot = attr;
        } else if (attr.type === T.SYMBOL || attr.type === T.BOOLEAN || attr.type === T.NONE) {
          const lookup = node<Node & { dot: boolean }>('LookupVal', dot, expr, node('Literal', attr, attr.value));
          lookup.dot = true;
          expr = lookup;
        } else {
          this.syntaxError(`expected name or number, got '${attr.value}'`, attr);
        }
      } else {
        return expr;
      }
    }
  }

  private parseSubscript(): Node {
    const at = this.peekToken() as Token;
    const part = (): Node | null => (this.peekIs(T.COLON) || this.peekIs(T.RIGHT_BRACKET) ? null : this.parseExpression());
    const start = part();
    let result: Node | null = start;
    if (this.skip(T.COLON)) {
      const stop = part();
      const step = this.skip(T.COLON) ? part() : null;
      result = makeNode<SliceNode>('Slice', at, { start, stop, step });
    }
    if (!result) this.syntaxError('expected an index', at);
    if (!this.skip(T.RIGHT_BRACKET)) this.syntaxError("expected token ']'", this.peekToken());
    return result;
  }

  /** `(a, b=1)`; keyword arguments last, trailing comma allowed. Also macro signatures. */
  override parseSignature(tolerant?: boolean): NodeList | null {
    const open = this.peekToken();
    if (!open || open.type !== T.LEFT_PAREN) {
      return tolerant ? null : this.syntaxError("expected token '('", open);
    }
    this.nextToken();
    const args: Node[] = [];
    const kwargs = node<NodeList>('KeywordArgs', open);
    while (!this.skip(T.RIGHT_PAREN)) {
      if (args.length + kwargs.children.length > 0) {
        if (!this.skip(T.COMMA)) this.syntaxError(`expected token ',', got '${this.peekToken()?.value ?? 'end of template'}'`, this.peekToken());
        if (this.skip(T.RIGHT_PAREN)) break;
      }
      const arg = this.parseExpression();
      if (this.skipValue(T.OPERATOR, '=')) {
        if (arg.typename !== 'Symbol') this.syntaxError("expected token ')', got '='", this.peekToken());
        kwargs.children.push(node('Pair', arg, arg, this.parseExpression()));
      } else {
        if (kwargs.children.length) this.syntaxError('positional argument follows keyword argument', this.peekToken());
        args.push(arg);
      }
    }
    if (kwargs.children.length) args.push(kwargs);
    return node<NodeList>('NodeList', open, args);
  }
}
