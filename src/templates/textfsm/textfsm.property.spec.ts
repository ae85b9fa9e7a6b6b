/**
 * Generated templates (every Value option and order, every line and record action, transitions to states,
 * End and EOF, Error actions) with outputs written to hit their rules, parsed by us and by Python textfsm in
 * one batch: the answers must be identical. The seed is fixed (FC_SEED overrides it to explore).
 */
import fc from 'fast-check';
import { describeWithPython } from '../../../test/support/python-oracle';
import { FsmAnswer, ourTextFsm, pythonTextFsm } from '../../../test/fixtures/textfsm/oracle';
import { templateCaseArb } from '../../../test/fixtures/textfsm/generators';
import { TextFsm } from './textfsm';

const SEED = Number(process.env.FC_SEED ?? 20261202);
const RUNS = 600;

describeWithPython(['textfsm'], ['python3-textfsm'], 'TextFSM against Python textfsm: generated templates', () => {
  const cases = fc.sample(templateCaseArb(), { seed: SEED, numRuns: RUNS });
  let python: FsmAnswer[];

  beforeAll(async () => {
    python = await pythonTextFsm(cases);
  });

  test(`${RUNS} generated templates and outputs give Python's answers (seed ${SEED})`, () => {
    const failures = cases
      .map((c, i) => ({ case: c, ours: ourTextFsm(c), python: python[i] }))
      .filter((r) => JSON.stringify(r.ours) !== JSON.stringify(r.python));
    // The first failing case in full, so it can be pasted into a fixture.
    expect(failures.slice(0, 1)).toEqual([]);
  });

  test('the sample exercises what it should: records, errors of both kinds, every option', () => {
    const kinds = python.map((p) => ('error' in p ? p.error : (p.rows.length > 0 ? 'rows' : 'empty')));
    for (const kind of ['rows', 'parse', 'template']) expect(kinds).toContain(kind);
    expect(kinds.filter((k) => k === 'rows').length).toBeGreaterThan(RUNS / 5);
    for (const option of ['Filldown', 'Fillup', 'Required', 'List', 'Key']) {
      expect(cases.some((c) => c.template.includes(option))).toBe(true);
    }
  });

  test('a compiled template answers the same when reused', () => {
    for (const c of cases.slice(0, 100)) {
      let fsm: TextFsm;
      try {
        fsm = TextFsm.compile(c.template);
      } catch {
        continue;
      }
      let first: unknown;
      let second: unknown;
      try {
        first = fsm.parseTextToDicts(c.text);
        second = fsm.parseTextToDicts(c.text);
      } catch (err) {
        expect(() => fsm.parseTextToDicts(c.text)).toThrow((err as Error).message);
        continue;
      }
      expect(second).toEqual(first);
    }
  });
});
