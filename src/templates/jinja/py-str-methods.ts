/** Python's str methods templates call: `name.upper()`, `line.split()`, `'{:<20}'.format(x)`, `'7'.zfill(3)`. */
import type { RenderBudget } from './jinja-budget';
import { REQUIRED, bindArgs, noKwargs } from './jinja-args';
import { strFormat } from './py-str-format';
import {
  pyCapitalize,
  pyCenter,
  pyIsLower,
  pyIsUpper,
  pyReplace,
  pyRsplit,
  pySplit,
  pySplitlines,
  pyStrip,
  pyTitleMethod,
  PY_SPACE,
} from './py-text';
import { Kwargs, iterate, num, pyRaise, tuple, typeName } from './py-values';

export type Method<T> = (self: T, args: unknown[], kwargs: Kwargs, budget: RenderBudget) => unknown;

function str(fname: string, v: unknown): string {
  if (typeof v !== 'string') pyRaise('TypeError', `${fname}() argument must be str, not ${typeName(v)}`);
  return v;
}

function optStr(fname: string, v: unknown): string | null {
  return v === null || v === undefined ? null : str(fname, v);
}

function width(v: unknown, budget: RenderBudget): number {
  budget.checkLength(num(v));
  return num(v);
}

/** Python's `[start:end]` bounds for `find`, `count`, `startswith`. */
function bounds(s: string, start: unknown, end: unknown): [number, number] {
  const len = Array.from(s).length;
  const norm = (v: unknown, d: number): number => (v === null || v === undefined ? d : num(v) < 0 ? Math.max(0, num(v) + len) : Math.min(num(v), len));
  return [norm(start, 0), norm(end, len)];
}

function window(s: string, start: unknown, end: unknown): string {
  return Array.from(s).slice(...bounds(s, start, end)).join('');
}

/** `str.find` with Python's code point indexes (an emoji counts one, not two). */
function findCodePoint(s: string, sub: string, start: unknown, end: unknown): number {
  const [from, to] = bounds(s, start, end);
  const part = Array.from(s).slice(from, to).join('');
  const at = part.indexOf(sub);
  return at < 0 ? -1 : from + Array.from(part.slice(0, at)).length;
}

function affix(check: (s: string, a: string) => boolean): Method<string> {
  return (s, args, kw) => {
    const [prefix, start, end] = bindArgs('startswith', args, kw, { prefix: REQUIRED, start: null, end: null });
    const part = window(s, start, end);
    const options = Array.isArray(prefix) ? prefix : [prefix];
    return options.some((p) => check(part, str('startswith', p)));
  };
}

function pad(side: 'left' | 'right' | 'center'): Method<string> {
  return (s, args, kw, budget) => {
    const [w, fill] = bindArgs('ljust', args, kw, { width: REQUIRED, fillchar: ' ' });
    const n = width(w, budget);
    const f = str('ljust', fill);
    if (side === 'center') return pyCenter(s, n, f);
    const missing = Math.max(0, n - Array.from(s).length);
    return side === 'left' ? f.repeat(missing) + s : s + f.repeat(missing);
  };
}

function charTest(re: RegExp): Method<string> {
  return (s) => s.length > 0 && re.test(s);
}

export const STR_METHODS: Record<string, Method<string>> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  title: (s) => pyTitleMethod(s),
  capitalize: (s) => pyCapitalize(s),
  swapcase: (s) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  strip: (s, a, kw) => pyStrip(s, optStr('strip', bindArgs('strip', a, kw, { chars: null })[0]), 'both'),
  lstrip: (s, a, kw) => pyStrip(s, optStr('lstrip', bindArgs('lstrip', a, kw, { chars: null })[0]), 'left'),
  rstrip: (s, a, kw) => pyStrip(s, optStr('rstrip', bindArgs('rstrip', a, kw, { chars: null })[0]), 'right'),
  split: (s, a, kw) => {
    const [sep, max] = bindArgs('split', a, kw, { sep: null, maxsplit: -1 });
    return pySplit(s, optStr('split', sep), num(max));
  },
  rsplit: (s, a, kw) => {
    const [sep, max] = bindArgs('rsplit', a, kw, { sep: null, maxsplit: -1 });
    return pyRsplit(s, optStr('rsplit', sep), num(max));
  },
  splitlines: (s, a, kw) => pySplitlines(s, Boolean(bindArgs('splitlines', a, kw, { keepends: false })[0])),
  startswith: affix((s, p) => s.startsWith(p)),
  endswith: affix((s, p) => s.endsWith(p)),
  replace: (s, a, kw) => {
    const [old, repl, count] = bindArgs('replace', a, kw, { old: REQUIRED, new: REQUIRED, count: -1 });
    return pyReplace(s, str('replace', old), str('replace', repl), num(count));
  },
  find: (s, a, kw) => {
    const [sub, start, end] = bindArgs('find', a, kw, { sub: REQUIRED, start: null, end: null });
    return findCodePoint(s, str('find', sub), start, end);
  },
  rfind: (s, a, kw) => {
    const [sub] = bindArgs('rfind', a, kw, { sub: REQUIRED });
    const at = s.lastIndexOf(str('rfind', sub));
    return at < 0 ? -1 : Array.from(s.slice(0, at)).length;
  },
  index: (s, a, kw) => {
    const [sub, start, end] = bindArgs('index', a, kw, { sub: REQUIRED, start: null, end: null });
    const at = findCodePoint(s, str('index', sub), start, end);
    return at < 0 ? pyRaise('ValueError', 'substring not found') : at;
  },
  count: (s, a, kw) => {
    const [sub, start, end] = bindArgs('count', a, kw, { sub: REQUIRED, start: null, end: null });
    const part = window(s, start, end);
    const needle = str('count', sub);
    return needle === '' ? Array.from(part).length + 1 : part.split(needle).length - 1;
  },
  join: (s, a, kw) => {
    noKwargs('join', kw);
    const items = iterate(bindArgs('join', a, kw, { iterable: REQUIRED })[0]);
    items.forEach((x, i) => {
      if (typeof x !== 'string') pyRaise('TypeError', `sequence item ${i}: expected str instance, ${typeName(x)} found`);
    });
    return items.join(s);
  },
  format: (s, a, kw) => strFormat(s, a, kw),
  zfill: (s, a, kw, budget) => {
    const n = width(bindArgs('zfill', a, kw, { width: REQUIRED })[0], budget);
    const sign = /^[-+]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(n - sign.length, '0');
  },
  ljust: pad('right'),
  rjust: pad('left'),
  center: pad('center'),
  isdigit: charTest(/^\p{Nd}+$/u),
  isdecimal: charTest(/^\p{Nd}+$/u),
  isnumeric: charTest(/^\p{N}+$/u),
  isalpha: charTest(/^\p{L}+$/u),
  isalnum: charTest(/^[\p{L}\p{N}]+$/u),
  isspace: charTest(new RegExp(`^[${PY_SPACE}]+$`)),
  isupper: (s) => pyIsUpper(s),
  islower: (s) => pyIsLower(s),
  partition: (s, a, kw) => {
    const sep = str('partition', bindArgs('partition', a, kw, { sep: REQUIRED })[0]);
    const at = s.indexOf(sep);
    return at < 0 ? tuple([s, '', '']) : tuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
  },
  rpartition: (s, a, kw) => {
    const sep = str('rpartition', bindArgs('rpartition', a, kw, { sep: REQUIRED })[0]);
    const at = s.lastIndexOf(sep);
    return at < 0 ? tuple(['', '', s]) : tuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
  },
  removeprefix: (s, a, kw) => {
    const p = str('removeprefix', bindArgs('removeprefix', a, kw, { prefix: REQUIRED })[0]);
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a, kw) => {
    const p = str('removesuffix', bindArgs('removesuffix', a, kw, { suffix: REQUIRED })[0]);
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
};
