/** Python's `str.format`: `'{:<20}{}'.format(name, vlan)`, `'{0[ip]}/{0[len]}'.format(addr)`, `'{n:03d}'.format(n=5)`. */
import { formatValue } from './py-format';
import { pyRepr, pyStr } from './py-str';
import { Kwargs, Namespace, hasKey, isDict, pyRaise, typeName } from './py-values';

const FIELD = /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}|[{}]/g;

export function strFormat(fmt: string, args: unknown[], kwargs: Kwargs): string {
  let auto = 0;
  return fmt.replace(FIELD, (whole, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (field === undefined) return pyRaise('ValueError', `Single '${whole}' encountered in format string`);
    const [, head, rest] = /^([^.[]*)(.*)$/s.exec(field) as RegExpExecArray;
    let value: unknown;
    if (head === '') value = positional(args, auto++);
    else if (/^\d+$/.test(head)) value = positional(args, Number(head));
    else if (kwargs.has(head)) value = kwargs.get(head);
    else return pyRaise('KeyError', `'${head}'`);
    value = resolvePath(value, rest);
    if (conv === 'r' || conv === 'a') value = pyRepr(value);
    else if (conv === 's') value = pyStr(value);
    return formatValue(value, spec ?? '');
  });
}

function positional(args: unknown[], i: number): unknown {
  if (i >= args.length) pyRaise('IndexError', `Replacement index ${i} out of range for positional args tuple`);
  return args[i];
}

/** `.attr` and `[key]` after the field name, with Python's (not Jinja2's) getattr/getitem. */
function resolvePath(value: unknown, path: string): unknown {
  let v = value;
  for (const [, attr, key] of path.matchAll(/\.([^.[]+)|\[([^\]]+)\]/g)) {
    if (attr !== undefined) {
      if (!(v instanceof Namespace) || !v.attrs.has(attr)) pyRaise('AttributeError', `'${typeName(v)}' object has no attribute '${attr}'`);
      v = v.attrs.get(attr);
    } else if (Array.isArray(v) && /^\d+$/.test(key)) {
      if (Number(key) >= v.length) pyRaise('IndexError', 'list index out of range');
      v = v[Number(key)];
    } else if (isDict(v)) {
      if (!hasKey(v, key)) pyRaise('KeyError', `'${key}'`);
      v = v[key];
    } else {
      pyRaise('TypeError', `'${typeName(v)}' object is not subscriptable`);
    }
  }
  return v;
}
