/**
 * Jinja2 (3.1) rendering of configuration templates, configured as `POST /template/render` needs:
 * StrictUndefined (an undefined variable is an error naming it, never an empty string pushed to a device),
 * autoescape off, Jinja2's default whitespace handling (trim_blocks and lstrip_blocks off, one trailing
 * newline of the template dropped), no loader (`include`, `extends`, `import` are refused), all builtin
 * filters and tests but `urlize`, Python's printing of values (`True`, `None`, `['a', 1]`, `5.0`).
 * Proven against Python's jinja2 by the specs beside this file (corpus, builtins, errors, generated templates).
 *
 * Why nunjucks is used only up to its parser: its code generator and runtime give templates JS semantics
 * that Jinja2 templates do not expect (`[]` and `{}` are true, `1 + '1'` is '11', `(a, b)` is `b`, a
 * `{% set %}` inside a loop changes the outer variable, null prints as '' or, with throwOnUndefined, fails).
 * throwOnUndefined only checks values when printed: `{% if x %}` and `{{ x.y }}` with x undefined do not
 * fail, and a JSON null cannot be printed. And its compiled templates reach the JS object model:
 * `{{ range.constructor("return process")() }}` runs code in the service. installJinjaCompat() does not
 * help: it patches nunjucks' shared runtime and parser for the whole process, adds a few Python methods
 * and keeps the rest. So templates are parsed with nunjucks' lexer and parser (subclassed for Jinja2's
 * grammar) and evaluated here on the AST, where only data and whitelisted Python methods are reachable.
 *
 * Differences from Jinja2 that remain (the same list, as a table, is in README.md, "Jinja2: what differs"):
 * - JSON numbers: a float with a zero fraction is an int (`{"x": 1.0}`: `{{ x }}` prints `1`, Jinja2 `1.0`);
 *   ints beyond 2^53 are not exact (`{{ 3 ** 40 }}` ends in ...768, not ...801).
 * - Dicts with integer-like keys iterate in ascending key order, not JSON order (`{"20": 1, "10": 2}`: 10, 20).
 * - Dict literals have string keys: `{{ {1: 'a'} }}` prints `{'1': 'a'}`.
 * - No Markup type: `{{ '<'|e|e }}` is `&amp;lt;` (Jinja2 `&lt;`), `x|safe is escaped` is false. Printing
 *   is unaffected (autoescape is off).
 * - Generators print without an address (`<generator object sync_do_map>`); `range(10)[2:5]` is a list.
 * - `pprint` does not wrap at 80 columns; `'%.0e' % 0.25` rounds the tie up (`3e-01`, Jinja2 `2e-01`).
 * - `include`, `extends`, `import`, `from` are syntax errors when compiled (Jinja2 fails at render: no loader).
 * - Syntax errors here: `f(*args)`, `**kwargs` in calls, nested loop targets `for a, (b, c) in`,
 *   `{% autoescape %}`; not provided: `lipsum()`, the `urlize` filter.
 * - Errors Jinja2 raises while folding constants at compile time (`{% if (1)[0] %}`, no line) come at
 *   render time here, with the line.
 * - Runaway templates are refused (see RenderLimits); macro recursion stops at 200 nested calls (Jinja2
 *   near 250, Python's recursion limit).
 * - Unicode tables (case mapping, `isprintable` in repr, `\w`) are the JS engine's.
 * - Syntax error messages are worded differently; their kind and line match.
 */
import { DEFAULT_LIMITS, RenderBudget, RenderLimits } from './jinja-budget';
import { JinjaFault, JinjaLimitError, JinjaTemplateError } from './jinja-errors';
import { Interpreter } from './jinja-interpreter';
import { parseTemplate } from './jinja-parser';
import { analyzeFrames } from './jinja-symbols';
import { validateTemplate } from './jinja-validate';
import type { NodeList } from './jinja-ast';
import type { Dict } from './py-values';

export { JinjaTemplateError } from './jinja-errors';
export type { JinjaErrorKind } from './jinja-errors';

export type JinjaRendererOptions = Partial<RenderLimits>;

export class JinjaRenderer {
  private readonly limits: RenderLimits;

  constructor(options: JinjaRendererOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  }

  /** Renders `template` with `context` (JSON data). Throws JinjaTemplateError. */
  render(template: string, context: Record<string, unknown>): string {
    const root = this.parse(template);
    try {
      const output = new Interpreter(new RenderBudget(this.limits), analyzeFrames(root)).render(root, jsonData(context));
      if (Buffer.byteLength(output, 'utf8') > this.limits.maxOutputBytes) {
        throw new JinjaLimitError(`template output exceeds ${this.limits.maxOutputBytes} bytes`);
      }
      return output;
    } catch (e) {
      throw publicError(e);
    }
  }

  /** Checks syntax, filter and test names only (for validating a template at submit). Throws JinjaTemplateError. */
  compile(template: string): void {
    this.parse(template);
  }

  private parse(template: string): NodeList {
    try {
      const root = parseTemplate(normalizeSource(template));
      validateTemplate(root);
      return root;
    } catch (e) {
      throw publicError(e);
    }
  }
}

/**
 * Jinja2's lexer turns every newline (`\r\n`, `\r`) into `\n` and, with keep_trailing_newline off, drops
 * one newline at the very end of the template.
 */
function normalizeSource(template: string): string {
  const source = template.replace(/\r\n?/g, '\n');
  return source.endsWith('\n') ? source.slice(0, -1) : source;
}

/** A private copy of the context as plain JSON data: templates may mutate lists (`append`) and must not reach anything else. */
function jsonData(context: Record<string, unknown>): Dict {
  const data: unknown = JSON.parse(JSON.stringify(context ?? {}));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new JinjaTemplateError('the template context must be a JSON object', 'render');
  }
  return data as Dict;
}

function publicError(e: unknown): JinjaTemplateError {
  if (e instanceof JinjaTemplateError) return e;
  if (e instanceof JinjaFault) return new JinjaTemplateError(e.message, e.kind, e.line);
  return new JinjaTemplateError(e instanceof Error ? e.message : String(e), 'render');
}

function definedOnly(options: JinjaRendererOptions): JinjaRendererOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
