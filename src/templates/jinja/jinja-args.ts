/** Binds call arguments to parameters the way Python does, with Python's TypeError messages. */
import { Kwargs, pyRaise } from './py-values';

/** Marks a parameter without a default. */
export const REQUIRED = Symbol('required');

/**
 * Returns one value per parameter, from positional arguments, then keyword arguments, then defaults
 * (`params` maps each name to its default or REQUIRED, in signature order).
 */
export function bindArgs(fname: string, args: unknown[], kwargs: Kwargs, params: Record<string, unknown>): unknown[] {
  const names = Object.keys(params);
  if (args.length > names.length) {
    pyRaise('TypeError', `${fname}() takes at most ${names.length} argument(s) (${args.length} given)`);
  }
  for (const key of kwargs.keys()) {
    const at = names.indexOf(key);
    if (at < 0) pyRaise('TypeError', `${fname}() got an unexpected keyword argument '${key}'`);
    if (at < args.length) pyRaise('TypeError', `${fname}() got multiple values for argument '${key}'`);
  }
  return names.map((name, i) => {
    if (i < args.length) return args[i];
    if (kwargs.has(name)) return kwargs.get(name);
    if (params[name] === REQUIRED) pyRaise('TypeError', `${fname}() missing required argument: '${name}'`);
    return params[name];
  });
}

/** For functions taking only positional arguments. */
export function noKwargs(fname: string, kwargs: Kwargs): void {
  if (kwargs.size > 0) pyRaise('TypeError', `${fname}() takes no keyword arguments`);
}
