/** Every filter, test, operator and method the renderer claims, compared case by case with Python's jinja2. */
import { describeWithPython } from '../../../test/support/python-oracle';
import { BUILTIN_CASES } from '../../../test/fixtures/jinja/builtin-cases';
import { comparable, renderWithJinja2, renderWithOurs } from '../../../test/fixtures/jinja/jinja-oracle';
import { JinjaRenderer } from './jinja-renderer';

describeWithPython(['jinja2'], ['python3-jinja2'], 'Jinja2 builtins against Python jinja2', () => {
  test(`${BUILTIN_CASES.length} one-line cases render as Jinja2 renders them`, async () => {
    const expected = await renderWithJinja2(BUILTIN_CASES);
    const renderer = new JinjaRenderer();
    const mismatches = BUILTIN_CASES.flatMap((c, i) => {
      const ours = comparable(renderWithOurs(renderer, c));
      const theirs = comparable(expected[i]);
      return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [{ template: c.template, jinja2: expected[i], ours: renderWithOurs(renderer, c) }];
    });
    expect(mismatches).toEqual([]);
  });
});
