/**
 * nunjucks' tokenizer, lexing as Jinja2 does where they differ: Python string escapes (`'\\d'` stays
 * `\d`, `'\x41'` is `A`), an unterminated string is a syntax error, `}}` inside an open `{` in a tag closes
 * the brace (`{'a': {'b': 1}}`), `#}` in template text is text, and `{%+` / `+%}` are accepted (they
 * only matter with lstrip_blocks / trim_blocks, which are off).
 */
import { JinjaSyntaxError } from './jinja-errors';
import { NunjucksTokenizerBase, T, Token } from './nunjucks-internals';

const TAG_START = /^\{[%{#]$/;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

export class JinjaTokenizer extends NunjucksTokenizerBase {
  /** Where the last token started (1-based): Jinja2 reports "unexpected end of template" there. */
  lastTokenLine = 1;

  /** Brackets open in the current tag: Jinja2 reads `}}` in `{'a': {'b': 1}}` as two braces, nunjucks as the tag end. */
  private depth = 0;

  override nextToken(): Token | null {
    let tok: Token | null;
    if (this.in_code && this.depth > 0 && this.str.startsWith('}}', this.index)) {
      tok = { type: T.RIGHT_CURLY, value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
    } else if (!this.in_code && !this.isFinished() && !TAG_START.test(this.str.slice(this.index, this.index + 2))) {
      tok = this.templateText();
    } else {
      if (this.in_code && this.str.startsWith('+%}', this.index)) this.forward();
      tok = super.nextToken();
      if (tok?.type === T.BLOCK_START && this.current() === '+') this.forward();
    }
    if (tok) this.track(tok);
    return tok;
  }

  /** Text up to the next tag; nunjucks' own scan fails on a `#}` there. */
  private templateText(): Token {
    const at = { lineno: this.lineno, colno: this.colno };
    const rest = this.str.slice(this.index);
    const next = /\{[%{#]/.exec(rest);
    const text = rest.slice(0, next ? next.index : rest.length);
    this.forwardN(text.length);
    return { type: T.DATA, value: text, ...at };
  }

  /** The type of the last token handed out, whitespace aside. */
  lastTokenType = '';

  private track(tok: Token): void {
    if (tok.type !== 'whitespace') {
      this.lastTokenLine = tok.lineno + 1;
      this.lastTokenType = tok.type;
    }
    if (tok.type === T.LEFT_CURLY || tok.type === T.LEFT_PAREN || tok.type === T.LEFT_BRACKET) this.depth++;
    else if (tok.type === T.RIGHT_CURLY || tok.type === T.RIGHT_PAREN || tok.type === T.RIGHT_BRACKET) this.depth = Math.max(0, this.depth - 1);
    else if (tok.type === T.BLOCK_END || tok.type === T.VARIABLE_END) this.depth = 0;
  }

  /** Called by nunjucks with the tokenizer on the opening quote. */
  _parseString(delimiter: string): string {
    const line = this.lineno + 1;
    this.forward();
    let out = '';
    while (!this.isFinished() && this.current() !== delimiter) {
      if (this.current() === '\\') {
        this.forward();
        out += this.escape();
      } else {
        out += this.current();
        this.forward();
      }
    }
    if (this.isFinished()) throw new JinjaSyntaxError(`unexpected char ${JSON.stringify(delimiter)}: unterminated string`, line);
    this.forward();
    return out;
  }

  /** One escape sequence after the backslash, decoded as Python's `unicode-escape` codec does. */
  private escape(): string {
    const c = this.current();
    if (c in SIMPLE_ESCAPES) {
      this.forward();
      return SIMPLE_ESCAPES[c];
    }
    if (/[0-7]/.test(c)) return String.fromCodePoint(parseInt(this.take(/[0-7]/, 3), 8));
    const hexLength = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (hexLength > 0) {
      this.forward();
      const hex = this.take(/[0-9a-fA-F]/, hexLength);
      if (hex.length !== hexLength) throw new JinjaSyntaxError(`truncated \\${c} escape in string`, this.lineno + 1);
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return '\\';
  }

  private take(re: RegExp, max: number): string {
    let s = '';
    while (s.length < max && !this.isFinished() && re.test(this.current())) {
      s += this.current();
      this.forward();
    }
    return s;
  }
}
