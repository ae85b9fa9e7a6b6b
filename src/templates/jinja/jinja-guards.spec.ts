/**
 * What JinjaRenderer guarantees beyond matching Jinja2: the API's errors, refusal of templates that load
 * other templates, runaway guards, and that a submitted template reaches data only, never code.
 */
import * as nunjucks from 'nunjucks';
import { JinjaRenderer, JinjaTemplateError } from './jinja-renderer';

function failure(fn: () => unknown): JinjaTemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof JinjaTemplateError) return e;
    throw e;
  }
  throw new Error('expected a JinjaTemplateError');
}

describe('JinjaRenderer API', () => {
  const renderer = new JinjaRenderer();

  test('renders a template with its context', () => {
    expect(renderer.render('hostname {{ host.name }}\n', { host: { name: 'r1' } })).toBe('hostname r1');
  });

  test('an undefined variable is an error naming it, with its line', () => {
    const err = failure(() => renderer.render('hostname {{ hostname }}\n!\ninterface {{ iface }}\n', { hostname: 'r1' }));
    expect(err).toMatchObject({ kind: 'undefined', line: 3 });
    expect(err.message).toContain("'iface' is undefined");
  });

  test('compile() reports syntax errors with their line and accepts valid templates', () => {
    expect(() => renderer.compile('{% for i in xs %}{{ i }}{% endfor %}')).not.toThrow();
    expect(failure(() => renderer.compile('a\n{% for i in xs %}\n{{ i }}\n'))).toMatchObject({ kind: 'syntax', line: 3 });
    expect(failure(() => renderer.compile('a\n\n{{ x|no_such_filter }}'))).toMatchObject({ kind: 'syntax', line: 3 });
  });

  test('compile() does not need the context: undefined variables are only render errors', () => {
    expect(() => renderer.compile('{{ anything.at.all }}')).not.toThrow();
  });

  test.each(["{% include 'base.j2' %}", "{% extends 'base.j2' %}", "{% import 'macros.j2' as m %}", "{% from 'macros.j2' import iface %}"])(
    'refuses %s: templates are single strings here',
    (template) => {
      const err = failure(() => renderer.compile(`ok\n${template}`));
      expect(err).toMatchObject({ kind: 'syntax', line: 2 });
      expect(err.message).toMatch(/not supported/);
    },
  );

  test('the context is the caller’s: a template appending to a list does not change it', () => {
    const context = { vlans: [10, 20] };
    expect(renderer.render('{% set _ = vlans.append(30) %}{{ vlans }}', context)).toBe('[10, 20, 30]');
    expect(context.vlans).toEqual([10, 20]);
  });

  test('renders do not share state', () => {
    const t = '{% set ns = namespace(n=0) %}{% for i in xs %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}';
    expect(renderer.render(t, { xs: [1, 2] })).toBe('3');
    expect(renderer.render(t, { xs: [1, 2] })).toBe('3');
  });

  test('random picks an item (not comparable with Jinja2, so checked here)', () => {
    expect(renderer.render('{{ [7]|random }}', {})).toBe('7');
    expect(['a', 'b']).toContain(renderer.render("{{ ['a', 'b']|random }}", {}));
    expect(failure(() => renderer.render('{{ []|random }}', {})).kind).toBe('undefined');
  });

  test('a JSON number with a zero fraction is an int: 1.0 prints 1 (documented difference)', () => {
    expect(renderer.render('{{ x }} {{ x|float }} {{ x / 2 }}', { x: 1.0 })).toBe('1 1.0 0.5');
  });
});

describe('runaway templates are refused by their guard', () => {
  test.each([
    ['a loop over a huge range', '{% for i in range(10**9) %}x{% endfor %}', /list of more than/],
    ['nested loops without output', '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}', /loop iterations/],
    ['a huge string', "{{ 'x' * 10**12 }}", /output exceeds/],
    ['a huge list', '{{ [0] * 10**12 }}', /list of more than/],
    ['a huge padding', "{{ 'x'|center(10**12) }}", /output exceeds/],
    ['unbounded recursion', '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', /recursion/],
  ])('%s', (_what, template, message) => {
    // Each guard must trip on its own: the time guard (tested below) is set out of reach, so a loaded machine cannot
    // make the wall clock answer first. How fast a refusal is belongs in a benchmark, not here.
    const err = failure(() => new JinjaRenderer({ timeoutMs: 600_000 }).render(template, {}));
    expect(err.kind).toBe('render');
    expect(err.message).toMatch(message);
  });

  test('legitimate recursion (199 nested macro calls) still renders', () => {
    const t = '{% macro f(n) %}{% for i in [1] %}{% if n < 199 %}{{ f(n + 1)|upper }}{% else %}deep{% endif %}{% endfor %}{% endmacro %}{{ f(0) }}';
    expect(new JinjaRenderer().render(t, {})).toBe('DEEP');
  });

  test('output is capped at maxOutputBytes, counted in UTF-8 bytes', () => {
    const small = new JinjaRenderer({ maxOutputBytes: 1000 });
    expect(small.render("{{ 'x' * 1000 }}", {})).toHaveLength(1000);
    expect(failure(() => small.render("{{ 'x' * 1001 }}", {})).message).toMatch(/1000 bytes/);
    expect(failure(() => small.render("{{ 'é' * 600 }}", {})).message).toMatch(/1000 bytes/);
    expect(failure(() => small.render('{% for i in range(400) %}abc{% endfor %}', {})).message).toMatch(/1000 bytes/);
  });

  test('a render taking longer than timeoutMs is stopped', () => {
    const slow = new JinjaRenderer({ timeoutMs: 50, maxLoopIterations: 10 ** 9 });
    const err = failure(() => slow.render("{% for i in range(10**6) %}{% for j in range(100) %}{{ '' }}{% endfor %}{% endfor %}", {}));
    expect(err.message).toMatch(/50 ms/);
  });
});

describe('templates reach data, not code', () => {
  const renderer = new JinjaRenderer();

  test.each([
    "{{ range.constructor('return process.pid')() }}",
    "{{ ''.constructor.constructor('return process')() }}",
    '{{ x.__proto__ }}',
    '{{ x.constructor }}',
    '{{ [].length }}',
    "{{ ''.toString() }}",
    '{{ x.hasOwnProperty }}',
    "{{ cycler.__class__ }}",
  ])('%s fails as an undefined attribute', (template) => {
    expect(failure(() => renderer.render(template, { x: {} })).kind).toBe('undefined');
  });

  test('JSON keys such as __proto__ are data, and nothing is polluted', () => {
    const context = JSON.parse('{"d": {"__proto__": {"polluted": 1}, "constructor": "c"}}') as Record<string, unknown>;
    expect(renderer.render("{{ d['__proto__'] }} {{ d.constructor }}", context)).toBe("{'polluted': 1} c");
    expect(failure(() => renderer.render('{{ d.polluted }}', context)).kind).toBe('undefined');
    renderer.render("{% set e = {} %}{% set _ = e.update({'__proto__': {'polluted': 1}}) %}{{ e }}", {});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("nunjucks' shared runtime is left alone (no installJinjaCompat)", () => {
    renderer.render('{{ x }}', { x: 1 });
    expect(new nunjucks.Environment([]).renderString('{{ [1, 2].length }}{{ None }}', {})).toBe('2');
  });
});
