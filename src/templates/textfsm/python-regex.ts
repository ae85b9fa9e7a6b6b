/**
 * Python `re` patterns (3.11 syntax and meaning, `str` patterns) compiled to JavaScript RegExp, matched the way
 * `re.match` matches: anchored at the start, not at the end.
 *
 * Where JavaScript's engine would answer differently from Python's `_sre` (captures inside repeats, empty
 * iterations, back references to groups that did not take part), the answer comes from SreMatcher instead:
 * for every subject when the pattern can iterate empty or refers back, else only when the RegExp leaves a
 * group inside a repeat unset. One difference is left: characters assigned after Unicode 14 (Python 3.11's
 * database) follow Node's newer tables in `\w`, `\d` and `\b`.
 */
import { emitJavaScript, emitSuccessOnly } from './python-regex-emit';
import { FirstChars, firstChars } from './python-regex-first';
import { parsePythonPattern } from './python-regex-parser';
import { SreMatcher } from './python-regex-sre';
import { PyNode, PythonRegexError, UnsupportedRegexError } from './python-regex-syntax';
import { nodesWidth } from './python-regex-width';

export { PythonRegexError, UnsupportedRegexError };
export { FLAG as PY_FLAG } from './python-regex-syntax';

/** Groups 1..n read through `jsGroup`, like a RegExp result. */
export type GroupsArray = ArrayLike<string | undefined>;

interface Hazards {
  /** Back references: the RegExp may match where Python does not. */
  backref: boolean;
  /** A repeat that can iterate empty: same success, but the RegExp may take another path and capture otherwise. */
  emptyIteration: boolean;
  /** Groups that may sit out an iteration of a loop: unset in the RegExp's answer, Python may remember them. */
  inRepeat: number[];
}

/** How to run a pattern when only some groups are read. */
export type Executor = (s: string) => GroupsArray | null;

function isOneChar(nodes: PyNode[]): boolean {
  return nodes.length === 1 && (nodes[0].op === 'lit' || nodes[0].op === 'notlit' || nodes[0].op === 'any' || nodes[0].op === 'in');
}

/**
 * `loop`: inside a repeat that can run more than once; `optional`: the node may be skipped in an iteration of
 * that loop (a branch, or a repeat that may run zero times, between the loop and the node).
 */
function findHazards(nodes: PyNode[], loop: boolean, optional: boolean, out: Hazards): Hazards {
  for (const n of nodes) {
    switch (n.op) {
      case 'groupref':
      case 'condref':
        out.backref = true;
        break;
      case 'sub':
        // Only a group that may sit out an iteration can be left unset by JavaScript while Python remembers it.
        if (n.group !== null && loop && optional) out.inRepeat.push(n.group);
        findHazards(n.body, loop, optional, out);
        break;
      case 'repeat': {
        if (isOneChar(n.body)) break;
        // Python accepts one empty iteration past the minimum, JavaScript backtracks out of it.
        if (nodesWidth(n.body, [])[0] === 0 && n.max !== n.min) out.emptyIteration = true;
        const outermostLoop = !loop && n.max > 1;
        findHazards(n.body, loop || n.max > 1, outermostLoop ? false : optional || n.min === 0, out);
        break;
      }
      case 'branch':
        n.alts.forEach((a) => findHazards(a, loop, optional || n.alts.length > 1, out));
        break;
      case 'assert':
      case 'atomic':
        findHazards(n.body, loop, optional, out);
        break;
      default:
        break;
    }
  }
  return out;
}

export class PythonRegex {
  private sre: SreMatcher | null = null;

  private constructor(
    readonly pattern: string,
    /** Anchored JavaScript equivalent. */
    readonly js: RegExp,
    /** Python's `pattern.groups`. */
    readonly groups: number,
    /** Python's `pattern.groupindex`: name to group number, in order of definition. */
    readonly groupIndex: ReadonlyMap<string, number>,
    private readonly pyToJs: readonly number[],
    private readonly hazards: Hazards,
    private readonly parsed: { nodes: PyNode[]; flags: number },
    /** Characters a match can start with (null: any, or the empty string matches). */
    readonly first: FirstChars | null,
    /** For a yes or no only, when it is cheaper than `js` (nested stars collapsed). */
    private readonly successJs: RegExp | null,
  ) {}

  /** `re.compile(pattern, flags)`; throws PythonRegexError as Python would, UnsupportedRegexError past JavaScript. */
  static compile(pattern: string, flags = 0): PythonRegex {
    const parsed = parsePythonPattern(pattern, flags);
    const emitted = emitJavaScript(parsed.nodes, parsed.flags, pattern);
    let js: RegExp;
    try {
      js = new RegExp(emitted.source, emitted.flags);
    } catch (err) {
      throw new UnsupportedRegexError(`a pattern JavaScript rejects (${(err as Error).message})`, pattern);
    }
    const hazards = findHazards(parsed.nodes, false, false, { backref: false, emptyIteration: false, inRepeat: [] });
    const first = firstChars(parsed.nodes, parsed.flags);
    const success = hazards.backref ? null : emitSuccessOnly(parsed.nodes, parsed.flags, pattern);
    const successJs = success === null ? null : new RegExp(success, emitted.flags);
    return new PythonRegex(pattern, js, parsed.groups, parsed.groupIndex, emitted.pyToJs, hazards, parsed, first, successJs);
  }

  /** The index in an `exec` answer that holds Python group `group`. */
  jsGroup(group: number): number {
    return group === 0 ? 0 : this.pyToJs[group];
  }

  /** `re.match(s)` with groups at their `jsGroup` index, undefined where a group did not take part. */
  exec(s: string): GroupsArray | null {
    return this.executor(null)(s);
  }

  /** The RegExp that alone answers as Python does for the groups in `read`, or null: use `executor(read)`. */
  plainRegExp(read: readonly number[]): RegExp | null {
    const h = this.hazards;
    if (h.backref || (h.emptyIteration && read.length > 0) || h.inRepeat.some((g) => read.includes(g))) return null;
    return read.length === 0 && this.successJs ? this.successJs : this.js;
  }

  /**
   * The cheapest way to answer as Python does for the groups in `read` (null: all): the RegExp alone, the
   * RegExp checked for unset groups inside repeats, or the Python-rule matcher.
   */
  executor(read: readonly number[] | null): Executor {
    const h = this.hazards;
    const reads = (g: number) => read === null || read.includes(g);
    // With read === null the whole match (group 0) is read too, and an empty iteration changes its extent.
    const anyRead = read === null || read.length > 0;
    if (h.backref || (h.emptyIteration && anyRead)) return (s) => this.execSre(s);
    const atRisk = h.inRepeat.filter(reads).map((g) => this.pyToJs[g]);
    const js = read !== null && read.length === 0 && this.successJs ? this.successJs : this.js;
    if (atRisk.length === 0) return (s) => js.exec(s);
    return (s) => {
      const m = js.exec(s);
      return m === null || atRisk.every((j) => m[j] !== undefined) ? m : this.execSre(s);
    };
  }

  private execSre(s: string): GroupsArray | null {
    this.sre ??= new SreMatcher(this.parsed.nodes, this.parsed.flags, this.groups);
    const spans = this.sre.match(s);
    if (spans === null) return null;
    const cps = Array.from(s);
    const out: (string | undefined)[] = [];
    for (let g = 0; g <= this.groups; g++) {
      const start = spans[2 * g];
      const end = spans[2 * g + 1];
      out[this.jsGroup(g)] = start < 0 || end < 0 ? undefined : cps.slice(start, end).join('');
    }
    return out;
  }

  /** `re.match(s)`: null, or the groups 0..n with null for groups that did not take part. */
  match(s: string): (string | null)[] | null {
    const m = this.exec(s);
    if (m === null) return null;
    const out: (string | null)[] = [];
    for (let g = 0; g <= this.groups; g++) out.push(m[this.jsGroup(g)] ?? null);
    return out;
  }

  /** `match.groupdict()` of a `match()` result. */
  groupDict(groups: (string | null)[]): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const [name, g] of this.groupIndex) out[name] = groups[g];
    return out;
  }
}
