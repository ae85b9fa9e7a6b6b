import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** bench/RESULTS.md, found from the compiled file (bench/out/bench/lib) or the source (bench/lib). */
const RESULTS = [join(__dirname, '..', '..', '..', 'RESULTS.md'), join(__dirname, '..', 'RESULTS.md')]
  .find((p) => existsSync(join(p, '..', 'tsconfig.json'))) ?? join(process.cwd(), 'bench', 'RESULTS.md');

export function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/**
 * Replaces the section between `<!-- name:begin -->` and `<!-- name:end -->` of bench/RESULTS.md
 * (appending it if absent), so each benchmark rewrites only its own results.
 */
export function writeSection(name: string, lines: string[]): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const body = [begin, ...lines, end].join('\n');
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from
    ? current.slice(0, from) + body + current.slice(to + end.length)
    : `${current.trimEnd()}\n\n${body}\n`;
  writeFileSync(RESULTS, next);
  return RESULTS;
}

/** Every figure of a run as JSON (Maps and Sets as objects and arrays), in bench/out/{name}.json. */
export function writeRaw(name: string, data: unknown): string {
  const out = join(dirname(RESULTS), 'out');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}.json`);
  const replacer = (_: string, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v);
  writeFileSync(file, JSON.stringify(data, replacer, 1));
  return file;
}

/** Writes the section into RESULTS.md and prints it. */
export function publishSection(name: string, lines: string[]): void {
  const file = writeSection(name, lines);
  console.log(lines.join('\n'));
  console.log(`\nwritten to ${file}`);
}
