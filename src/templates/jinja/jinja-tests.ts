/** Jinja2's tests (`x is defined`, `x is divisibleby 3`, `select('equalto', 'up')`). */
import { REQUIRED, bindArgs } from './jinja-args';
import { TestFn } from './jinja-filter-kit';
import { CompareOp, pyCompare, pyContains, pyEq, pyMod } from './py-ops';
import { pyStr } from './py-str';
import { pyIsLower, pyIsUpper } from './py-text';
import { PyCallable, PyIterator, Undefined, isDict, isFloat, isInt, isNumber, iterate, pyLen } from './py-values';

function one(name: string, args: unknown[], kwargs: Map<string, unknown>): unknown {
  return bindArgs(name, args, kwargs, { other: REQUIRED })[0];
}

function compare(op: CompareOp): TestFn {
  return (v, a, kw) => pyCompare(op, v, one(op, a, kw));
}

function isSequence(v: unknown): boolean {
  try {
    pyLen(v);
  } catch {
    return false;
  }
  return typeof v === 'string' || Array.isArray(v) || isDict(v);
}

function isIterable(v: unknown): boolean {
  if (v instanceof Undefined) v.fail();
  try {
    iterate(v instanceof PyIterator ? [] : v);
    return true;
  } catch {
    return false;
  }
}

export const TESTS: Record<string, TestFn> = {
  odd: (v) => pyEq(pyMod(v, 2), 1),
  even: (v) => pyEq(pyMod(v, 2), 0),
  divisibleby: (v, a, kw) => pyEq(pyMod(v, bindArgs('divisibleby', a, kw, { num: REQUIRED })[0]), 0),
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  false: (v) => v === false,
  true: (v) => v === true,
  integer: (v) => isInt(v),
  float: (v) => isFloat(v),
  number: (v) => isNumber(v),
  string: (v) => typeof v === 'string',
  mapping: (v) => isDict(v),
  sequence: isSequence,
  iterable: isIterable,
  callable: (v) => v instanceof PyCallable || v instanceof Undefined,
  sameas: (v, a, kw) => v === one('sameas', a, kw),
  escaped: () => false,
  lower: (v) => pyIsLower(pyStr(v)),
  upper: (v) => pyIsUpper(pyStr(v)),
  in: (v, a, kw) => pyContains(bindArgs('in', a, kw, { seq: REQUIRED })[0], v),
  '==': compare('=='),
  eq: compare('=='),
  equalto: compare('=='),
  '!=': compare('!='),
  ne: compare('!='),
  '>': compare('>'),
  gt: compare('>'),
  greaterthan: compare('>'),
  '>=': compare('>='),
  ge: compare('>='),
  '<': compare('<'),
  lt: compare('<'),
  lessthan: compare('<'),
  '<=': compare('<='),
  le: compare('<='),
};
