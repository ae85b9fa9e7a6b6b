/**
 * Broken templates and failing parses: our error class, message and line against Python textfsm's.
 */
import { describeWithPython } from '../../../test/support/python-oracle';
import { FsmAnswer, FsmCase, ourTextFsm, pythonTextFsm } from '../../../test/fixtures/textfsm/oracle';
import { TextFsm } from './textfsm';
import { TextFsmTemplateError } from './textfsm-errors';

const V = 'Value A (\\S+)\nValue B (\\d+)\n\n';
const tpl = (body: string) => V + body;

/** [name, template, text]: every one is an error in Python (checked below). */
const BROKEN: [string, string, string][] = [
  ['no Start state', tpl('Other\n  ^x\n'), ''],
  ['empty template', '', ''],
  ['Value with too few tokens', 'Value A\n\nStart\n  ^x\n', ''],
  ['Value without parentheses', 'Value A \\S+\n\nStart\n  ^x\n', ''],
  ['Value with unbalanced parentheses', 'Value A ((\\S+)\n\nStart\n  ^x\n', ''],
  ['Value regex not closing with )', 'Value A (\\S+)x\n\nStart\n  ^x\n', ''],
  ['duplicate Value', 'Value A (\\S+)\nValue A (\\d+)\n\nStart\n  ^x\n', ''],
  ['unknown option', 'Value Mandatory A (\\S+)\n\nStart\n  ^x\n', ''],
  ['duplicate option', 'Value Key,Key A (\\S+)\n\nStart\n  ^x\n', ''],
  ['two spaces after Value', 'Value  A (\\S+)\n\nStart\n  ^x\n', ''],
  ['name too long', `Value ${'N'.repeat(49)} (\\S+)\n\nStart\n  ^x\n`, ''],
  ['List value with a bad regex', 'Value List A ((?P<x>a)(?P<x>b))\n\nStart\n  ^x\n', ''],
  ['List value with an unterminated class', 'Value List A ([a-)\n\nStart\n  ^x\n', ''],
  ['text before the first Value', 'Hello\nValue A (x)\n\nStart\n  ^x\n', ''],
  ['no blank line after the Values', 'Value A (x)\nStart\n  ^x\n', ''],
  ['state name with a dash', tpl('Start\n  ^x -> Other-State\n\nOther-State\n  ^y\n'), ''],
  ['state named Next', tpl('Start\n  ^x\n\nNext\n  ^y\n'), ''],
  ['duplicate state', tpl('Start\n  ^x\n\nStart\n  ^y\n'), ''],
  ['rule without caret', tpl('Start\n  x\n'), ''],
  ['rule indented three spaces', tpl('Start\n   ^x\n'), ''],
  ['unknown target state', tpl('Start\n  ^x -> Nowhere\n'), ''],
  ['Continue with a new state', tpl('Start\n  ^x -> Continue Other\n\nOther\n  ^y\n'), ''],
  ['Continue.Record with a new state', tpl('Start\n  ^x -> Continue.Record Other\n\nOther\n  ^y\n'), ''],
  ['bad action', tpl('Start\n  ^x -> Next.Recrd\n'), ''],
  ['action without a space', tpl('Start\n  ^x ->Next\n'), ''],
  ['quoted state without Error', tpl('Start\n  ^x -> Next "msg"\n'), ''],
  ['unbalanced regex', tpl('Start\n  ^(${A}\n'), ''],
  ['bad escape', tpl('Start\n  ^\\q${A}\n'), ''],
  ['unknown variable', tpl('Start\n  ^${C}\n'), ''],
  ['lone dollar', tpl('Start\n  ^${A}$\n'), ''],
  ['braced non-identifier', tpl('Start\n  ^${A-B}\n'), ''],
  ['value used twice in a rule', tpl('Start\n  ^${A} ${A}\n'), ''],
  ['nothing to repeat', tpl('Start\n  ^*${A}\n'), ''],
  ['global flag not at the start', tpl('Start\n  ^(?i)${A}\n'), ''],
  ['variable-width lookbehind', tpl('Start\n  ^(?<=a+)${A}\n'), ''],
  ['non-empty End state', tpl('Start\n  ^x\n\nEnd\n  ^y\n'), ''],
  ['non-empty EOF state', tpl('Start\n  ^x\n\nEOF\n  ^y\n'), ''],
  ['Error action', tpl('Start\n  ^${A} -> Error\n'), 'boom\n'],
  ['Error action with a message', tpl('Start\n  ^${A} -> Error "bad line"\n'), 'ok\nboom\n'],
  ['Error action with a word', tpl('Start\n  ^x\n  ^.* -> Error Unexpected\n'), 'x\ny\n'],
  ['Error after Record', tpl('Start\n  ^${A} -> Record\n  ^.* -> Error\n'), 'a\n\n'],
];

const lineOf = (message: string) => /Line:? (\d+)/.exec(message)?.[1];

describeWithPython(['textfsm'], ['python3-textfsm'], 'TextFSM errors against Python textfsm', () => {
  const cases: FsmCase[] = BROKEN.map(([, template, text]) => ({ template, text }));
  let python: FsmAnswer[];

  beforeAll(async () => {
    python = await pythonTextFsm(cases);
  });

  test('each broken case fails in Python (the table is what it says)', () => {
    const notErrors = BROKEN.filter((_, i) => !('error' in python[i])).map(([name]) => name);
    expect(notErrors).toEqual([]);
  });

  test.each(BROKEN.map(([name], i) => [name, i] as const))('%s: same error class, message and line', (_name, i) => {
    const ours = ourTextFsm(cases[i]);
    const theirs = python[i];
    expect('error' in ours && ours.error).toBe('error' in theirs && theirs.error);
    expect(lineOf((ours as { message: string }).message)).toBe(lineOf((theirs as { message: string }).message));
    expect((ours as { message: string }).message).toBe((theirs as { message: string }).message);
  });
});

describe('TextFsmTemplateError', () => {
  test('carries the line of the broken rule', () => {
    let err: unknown;
    try {
      TextFsm.compile(tpl('Start\n  ^ok\n  ^(broken\n'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextFsmTemplateError);
    expect((err as TextFsmTemplateError).line).toBe(6);
  });

  test('names a construct JavaScript cannot run, with its line', () => {
    expect(() => TextFsm.compile(tpl('Start\n  ^(?i:x)${A}\n'))).toThrow(/scoped case-insensitivity.*Line: 5/);
    expect(() => TextFsm.compile(tpl('Start\n  ^(?(1)a|b)${A}\n'))).toThrow(/Line: 5/);
  });
});
