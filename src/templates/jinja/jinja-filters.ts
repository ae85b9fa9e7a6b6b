/**
 * The filter and test registries: every Jinja2 3.1 builtin except `urlize` (HTML link detection, no use in
 * device configuration), with StrictUndefined applied as Jinja2 does: an undefined value fails in any
 * filter or test except the few that accept it (`default`, `is defined`...).
 */
import { FilterContext, FilterFn, TestFn } from './jinja-filter-kit';
import { SEQUENCE_FILTERS } from './jinja-filters-seq';
import { TEXT_FILTERS } from './jinja-filters-text';
import { ACCEPT_UNDEFINED, VALUE_FILTERS } from './jinja-filters-value';
import { TESTS as BASE_TESTS } from './jinja-tests';
import { Kwargs, Undefined, pyRaise } from './py-values';

const FILTERS: Record<string, FilterFn> = { ...TEXT_FILTERS, ...SEQUENCE_FILTERS, ...VALUE_FILTERS };

const TESTS: Record<string, TestFn> = {
  ...BASE_TESTS,
  filter: (v) => typeof v === 'string' && hasFilter(v),
  test: (v) => typeof v === 'string' && hasTest(v),
};

const TESTS_ACCEPTING_UNDEFINED = new Set([
  'defined',
  'undefined',
  'none',
  'string',
  'number',
  'mapping',
  'sequence',
  'callable',
  'sameas',
  'boolean',
  'integer',
  'float',
  'escaped',
  'true',
  'false',
]);

export function hasFilter(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FILTERS, name);
}

export function hasTest(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TESTS, name);
}

export function applyFilter(name: string, value: unknown, args: unknown[], kwargs: Kwargs, ctx: FilterContext): unknown {
  if (!hasFilter(name)) return pyRaise('TemplateRuntimeError', `No filter named '${name}'.`);
  if (value instanceof Undefined && value.strict && !ACCEPT_UNDEFINED.has(name)) value.fail();
  return FILTERS[name](value, args, kwargs, ctx);
}

export function applyTest(name: string, value: unknown, args: unknown[], kwargs: Kwargs, ctx: FilterContext): boolean {
  if (!hasTest(name)) return pyRaise('TemplateRuntimeError', `No test named '${name}'.`);
  if (value instanceof Undefined && value.strict && !TESTS_ACCEPTING_UNDEFINED.has(name)) value.fail();
  return TESTS[name](value, args, kwargs, ctx);
}
