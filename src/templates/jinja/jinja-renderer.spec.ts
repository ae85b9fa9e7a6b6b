/**
 * JinjaRenderer against Python's jinja2 on real-looking network configuration templates
 * (test/fixtures/jinja/*.j2 with their *.json contexts), and its own guarantees: the API, refusals,
 * runaway guards, and that templates reach only data.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithPython } from '../../../test/support/python-oracle';
import { OracleCase, comparable, renderWithJinja2, renderWithOurs } from '../../../test/fixtures/jinja/jinja-oracle';
import { JinjaRenderer } from './jinja-renderer';

const FIXTURES = join(__dirname, '../../../test/fixtures/jinja');

function corpus(): (OracleCase & { name: string })[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.j2'))
    .sort()
    .map((f) => ({
      name: f,
      template: readFileSync(join(FIXTURES, f), 'utf8'),
      context: JSON.parse(readFileSync(join(FIXTURES, f.replace(/\.j2$/, '.json')), 'utf8')) as Record<string, unknown>,
    }));
}

describeWithPython(['jinja2'], ['python3-jinja2'], 'JinjaRenderer on configuration templates, against Python jinja2', () => {
  const cases = corpus();
  let expected: ReturnType<typeof comparable>[] = [];

  beforeAll(async () => {
    expected = (await renderWithJinja2(cases)).map(comparable);
  });

  test('the corpus has the templates it claims', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
  });

  test.each(corpus().map((c, i) => [c.name, i] as const))('%s renders exactly as Jinja2 renders it', (_name, i) => {
    expect(expected[i].ok).toBe(true);
    expect(comparable(renderWithOurs(new JinjaRenderer(), cases[i]))).toEqual(expected[i]);
  });
});
