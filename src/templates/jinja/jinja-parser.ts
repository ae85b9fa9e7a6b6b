/**
 * Jinja2's statements on nunjucks' parser: only Jinja2's tags (no `elseif`, `switch`, `asyncEach`,
 * `verbatim`), `for ... if ...` loop filters, `recursive` loops, tuple unpacking in `set`, namespace
 * attributes (`{% set ns.x = 1 %}`), filtered `{% set x | upper %}` blocks, `with`, `raw` with `-`, and
 * `{{ a, b }}` printing a tuple. `block`, `macro`, `call` and `filter` are nunjucks' own (they match
 * Jinja2). Tags that load other templates are refused: templates here are single strings.
 */
import { JinjaFault, JinjaSyntaxError } from './jinja-errors';
import { JinjaTokenizer } from './jinja-lexer';
import { CaptureNode, ForNode, Node, NodeList, SetNode, WithNode, makeNode } from './jinja-ast';
import { JinjaExpressionParser } from './jinja-parser-expr';
import { T, Token, node } from './nunjucks-internals';

/** Tags nunjucks already parses the Jinja2 way. */
const NUNJUCKS_TAGS = new Set(['block', 'macro', 'call', 'filter']);
const END_RAW = /\{%(-?)\s*endraw\s*(-?)%\}/;
const LOADER_TAGS = new Set(['include', 'extends', 'import', 'from']);

class JinjaParser extends JinjaExpressionParser {
  override parseStatement(): Node | null {
    const tok = this.peekToken();
    if (!tok || tok.type !== T.SYMBOL) return this.syntaxError('tag name expected', tok);
    if (this.breakOnBlocks?.includes(tok.value)) return null;
    if (NUNJUCKS_TAGS.has(tok.value)) return super.parseStatement();
    switch (tok.value) {
      case 'if':
        return this.parseIfTag();
      case 'for':
        return this.parseForTag();
      case 'set':
        return this.parseSetTag();
      case 'with':
        return this.parseWithTag();
      case 'raw':
        return this.parseRawTag();
      default:
        if (LOADER_TAGS.has(tok.value)) {
          return this.syntaxError(
            `'{% ${tok.value} %}' is not supported: the template must be a single source, other templates cannot be loaded`,
            tok,
          );
        }
        return this.syntaxError(`Encountered unknown tag '${tok.value}'.`, tok);
    }
  }

  /** The tag's block end, or a syntax error naming what was found instead. */
  private endOfTag(): void {
    const tok = this.peekToken();
    if (!tok || tok.type !== T.BLOCK_END) this.syntaxError(`expected token 'end of statement block', got '${tok?.value ?? 'end of template'}'`, tok);
    this.advanceAfterBlockEnd('tag');
  }

  /** Consumes `{% name %}` that closes a block, or fails at the end of the template. */
  private closeBlock(opener: Token, ...names: string[]): string {
    const tok = this.peekToken();
    if (!tok || !names.includes(tok.value)) {
      const wanted = names.map((n) => `'${n}'`).join(' or ');
      return this.syntaxError(`Unexpected end of template. Jinja was looking for the following tags: ${wanted}. The innermost block that needs to be closed is '${opener.value}'.`, tok);
    }
    this.nextToken();
    this.endOfTag();
    return tok.value;
  }

  /** `{% raw %}` up to the first `{% endraw %}`, honouring `-` on both tags (nunjucks' raw ignores it). */
  private parseRawTag(): Node {
    const tag = this.next();
    this.advanceAfterBlockEnd('raw');
    const rest = this.tokens.str.slice(this.tokens.index);
    const end = END_RAW.exec(rest);
    if (!end) return this.syntaxError('Missing end of raw directive', tag);
    let text = rest.slice(0, end.index);
    if (this.dropLeadingWhitespace) text = text.replace(/^\s*/, '');
    if (end[1] === '-') text = text.replace(/\s*$/, '');
    this.tokens.forwardN(end.index + end[0].length);
    this.dropLeadingWhitespace = end[2] === '-';
    return node('Output', tag, [node('TemplateData', tag, text)]);
  }

  private parseIfTag(): Node {
    const tag = this.next();
    // Jinja2 parses an `if` condition without inline ifs: `{% if a if b else c %}` is a syntax error.
    const cond = this.parseOr();
    this.endOfTag();
    const body = this.parseUntilBlocks('elif', 'else', 'endif');
    const ifNode = node<Node & { else_: unknown }>('If', tag, cond, body, null);
    const tok = this.peekToken();
    if (tok?.value === 'elif') {
      ifNode.else_ = this.parseIfTag();
    } else if (this.closeBlock(tag, 'elif', 'else', 'endif') === 'else') {
      ifNode.else_ = this.parseUntilBlocks('endif');
      this.closeBlock(tag, 'endif');
    }
    return ifNode;
  }

  private parseForTag(): Node {
    const tag = this.next();
    const target = this.parseTargets();
    if (!this.skipSymbol('in')) this.syntaxError("expected token 'in'", this.peekToken());
    const arr = this.parseOr();
    const test = this.skipSymbol('if') ? this.parseExpression() : null;
    const recursive = this.skipSymbol('recursive');
    this.endOfTag();
    const body = this.parseUntilBlocks('endfor', 'else');
    let otherwise: NodeList | null = null;
    if (this.closeBlock(tag, 'endfor', 'else') === 'else') {
      otherwise = this.parseUntilBlocks('endfor');
      this.closeBlock(tag, 'endfor');
    }
    const forNode = node<ForNode>('For', tag, arr, target, body, otherwise);
    forNode.test = test;
    forNode.recursive = recursive;
    return forNode;
  }

  /** `name`, `a, b` or `(a, b)`: a Symbol, or a Tuple of them. */
  private parseTargets(): Node {
    const first = this.peekToken();
    const parenthesised = this.skip(T.LEFT_PAREN);
    const names: Node[] = [];
    do {
      const tok = this.next();
      if (tok.type !== T.SYMBOL) this.syntaxError(`expected a name to assign to, got '${tok.value}'`, tok);
      names.push(node('Symbol', tok, tok.value));
    } while (this.skip(T.COMMA) && !this.peekIs(T.RIGHT_PAREN));
    if (parenthesised && !this.skip(T.RIGHT_PAREN)) this.syntaxError("expected token ')'", this.peekToken());
    return names.length === 1 && !parenthesised ? names[0] : makeNode<NodeList>('Tuple', first as Token, { children: names });
  }

  /** A `set` target: a name, or `namespace.attribute`. */
  private parseSetTarget(): Node {
    const tok = this.next();
    if (tok.type !== T.SYMBOL) this.syntaxError(`expected a name to assign to, got '${tok.value}'`, tok);
    const name = node('Symbol', tok, tok.value);
    if (!this.skipValue(T.OPERATOR, '.')) return name;
    const attr = this.expect(T.SYMBOL);
    const lookup = node<Node & { dot: boolean }>('LookupVal', tok, name, node('Literal', attr, attr.value));
    lookup.dot = true;
    return lookup;
  }

  private parseSetTag(): Node {
    const tag = this.next();
    const targets = [this.parseSetTarget()];
    while (this.skip(T.COMMA)) targets.push(this.parseSetTarget());
    const setNode = node<SetNode>('Set', tag, targets);
    if (this.skipValue(T.OPERATOR, '=')) {
      setNode.value = this.parseTupleExpression();
      setNode.body = null;
      this.endOfTag();
    } else {
      if (targets.length > 1) this.syntaxError("expected token '='", this.peekToken());
      // `{% set x | upper %}...{% endset %}`: the filters apply to the captured block.
      const capture = node<CaptureNode>('Capture', tag, node('NodeList', tag, []));
      const filtered = this.peekIs(T.PIPE) ? this.parseFilter(capture) : null;
      this.endOfTag();
      capture.body = this.parseUntilBlocks('endset');
      this.closeBlock(tag, 'endset');
      setNode.value = filtered;
      setNode.body = filtered ? null : capture;
    }
    return setNode;
  }

  /** `{{ a, b }}` prints a tuple, as in Jinja2: nunjucks parses the print's expression with this method. */
  override parseExpression(): Node {
    const atPrint = (this.tokens as JinjaTokenizer).lastTokenType === T.VARIABLE_START && !this.peeked;
    return atPrint ? this.parseTupleExpression(T.VARIABLE_END) : super.parseExpression();
  }

  /** `1, 2` without parentheses is a tuple, on the right of `=` and in `{{ }}`. */
  private parseTupleExpression(end = T.BLOCK_END): Node {
    const first = super.parseExpression();
    if (!this.peekIs(T.COMMA)) return first;
    const items = [first];
    while (this.skip(T.COMMA) && !this.peekIs(end)) items.push(super.parseExpression());
    return makeNode<NodeList>('Tuple', first, { children: items });
  }

  private parseWithTag(): Node {
    const tag = this.next();
    const targets: Node[] = [];
    const values: Node[] = [];
    while (!this.peekIs(T.BLOCK_END)) {
      if (targets.length > 0 && !this.skip(T.COMMA)) this.syntaxError("expected token ','", this.peekToken());
      targets.push(this.parseTargets());
      if (!this.skipValue(T.OPERATOR, '=')) this.syntaxError("expected token '='", this.peekToken());
      values.push(this.parseExpression());
    }
    this.endOfTag();
    const body = this.parseUntilBlocks('endwith');
    this.closeBlock(tag, 'endwith');
    return makeNode<WithNode>('With', tag, { targets, values, body });
  }
}

/**
 * Parses a template (newlines already normalised) into its AST. Every failure is a JinjaSyntaxError with
 * a line: nunjucks reports some errors without one (at the end of the template), or as plain Errors.
 */
export function parseTemplate(source: string): NodeList {
  const tokens = new JinjaTokenizer(source, {});
  const parser = new JinjaParser(tokens);
  try {
    return parser.parseAsRoot();
  } catch (e) {
    if (e instanceof JinjaFault) throw e;
    const err = e as { message?: string; lineno?: number };
    const message = String(err.message ?? e).replace(/^parse\w*: /, '');
    throw new JinjaSyntaxError(message, typeof err.lineno === 'number' ? err.lineno : tokens.lastTokenLine);
  }
}

