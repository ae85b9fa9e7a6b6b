/** Failing templates fail as Jinja2 fails: same kind (syntax, undefined, render) and same line. */
import { describeWithPython } from '../../../test/support/python-oracle';
import { ERROR_CASES } from '../../../test/fixtures/jinja/error-cases';
import { comparable, renderWithJinja2, renderWithOurs } from '../../../test/fixtures/jinja/jinja-oracle';
import { JinjaRenderer } from './jinja-renderer';

describeWithPython(['jinja2'], ['python3-jinja2'], 'Jinja2 errors against Python jinja2', () => {
  test(`${ERROR_CASES.length} failing or edge templates fail with Jinja2's kind and line`, async () => {
    const expected = await renderWithJinja2(ERROR_CASES);
    const renderer = new JinjaRenderer();
    const mismatches = ERROR_CASES.flatMap((c, i) => {
      const ours = renderWithOurs(renderer, c);
      return JSON.stringify(comparable(ours)) === JSON.stringify(comparable(expected[i])) ? [] : [{ template: c.template, jinja2: expected[i], ours }];
    });
    expect(mismatches).toEqual([]);
  });
});
