/**
 * Generated combinations of supported constructs and contexts, all rendered by Python's jinja2 in one
 * batch and compared: same output, or the same error kind and line. The seed is fixed so a failure
 * reproduces; JINJA_FUZZ_SEED and JINJA_FUZZ_RUNS explore further.
 */
import fc from 'fast-check';
import { describeWithPython } from '../../../test/support/python-oracle';
import { comparable, renderWithJinja2, renderWithOurs } from '../../../test/fixtures/jinja/jinja-oracle';
import { caseArb } from '../../../test/fixtures/jinja/template-arbitraries';
import { JinjaRenderer } from './jinja-renderer';

const SEED = Number(process.env.JINJA_FUZZ_SEED ?? 20261125);
const RUNS = Number(process.env.JINJA_FUZZ_RUNS ?? 400);

describeWithPython(['jinja2'], ['python3-jinja2'], 'generated templates against Python jinja2', () => {
  test(`${RUNS} generated templates (seed ${SEED}) render or fail as in Jinja2`, async () => {
    const cases = fc.sample(caseArb, { numRuns: RUNS, seed: SEED });
    const expected = await renderWithJinja2(cases);
    const renderer = new JinjaRenderer();
    // Jinja2 folds constant expressions while compiling: an undefined value met there (`(-5)[0]` in a
    // condition) fails with no template line, at compile time. Those cases are not compared.
    const folded = expected.filter((e) => !e.ok && e.line === null).length;
    const mismatches = cases.flatMap((c, i) => {
      if (!expected[i].ok && expected[i].line === null) return [];
      const ours = renderWithOurs(renderer, c);
      return JSON.stringify(comparable(ours)) === JSON.stringify(comparable(expected[i])) ? [] : [{ ...c, jinja2: expected[i], ours }];
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The generator must exercise both paths, or the comparison proves little.
    const rendered = expected.filter((e) => e.ok).length;
    expect(rendered).toBeGreaterThan(RUNS / 4);
    expect(RUNS - rendered).toBeGreaterThan(RUNS / 10);
    expect(folded).toBeLessThan(RUNS / 20);
  });
});
