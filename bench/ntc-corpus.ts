/**
 * Parses every ntc-templates test output (`tests/<platform>/<command>/*.raw`) with our CliTableIndex and with
 * Python's clitable (as `ntc_templates.parse.parse_output` drives it) and counts identical answers.
 *
 *   npm run check:ntc -- --dir=/path/to/ntc-templates [--show=5] [--only=cisco_ios]
 *
 * Platform and command come from the path as ntc's own test does (`show_ip_route` -> `show ip route`), and
 * the raw file is read in text mode (universal newlines) as that test reads it. Exits 1 on any difference.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CliTableError, CliTableIndex, TextFsmParseError, TextFsmTemplateError } from '../src/templates/textfsm';
import { universalNewlines } from '../src/templates/textfsm/cli-table-index-file';
import { pythonCliTable } from '../test/fixtures/textfsm/oracle';
import { args } from './lib/args';

interface Case {
  file: string;
  platform: string;
  command: string;
  text: string;
}

function dirs(path: string): string[] {
  return readdirSync(path)
    .filter((d) => statSync(join(path, d)).isDirectory())
    .sort();
}

function collect(root: string, only: string | undefined): Case[] {
  const cases: Case[] = [];
  for (const platform of dirs(join(root, 'tests'))) {
    if (only && platform !== only) continue;
    for (const commandDir of dirs(join(root, 'tests', platform))) {
      for (const raw of readdirSync(join(root, 'tests', platform, commandDir)).filter((f) => f.endsWith('.raw')).sort()) {
        const file = join('tests', platform, commandDir, raw);
        cases.push({ file, platform, command: commandDir.split('_').join(' '), text: universalNewlines(readFileSync(join(root, file), 'utf8')) });
      }
    }
  }
  return cases;
}

/** Our answer in the oracle's shape (Python error class names). */
function ours(index: CliTableIndex, c: Case): unknown {
  try {
    return { rows: index.parseOutput(c.platform, c.command, c.text) };
  } catch (err) {
    if (err instanceof CliTableError) return { error: 'ParsingException', message: err.message };
    if (err instanceof TextFsmParseError) return { error: 'TextFSMError', message: err.message };
    if (err instanceof TextFsmTemplateError) return { error: 'TextFSMTemplateError', message: err.message };
    return { error: (err as Error).name, message: (err as Error).message };
  }
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path || '(top)'}: ours ${JSON.stringify(a)?.slice(0, 300)} | python ${JSON.stringify(b)?.slice(0, 300)}`;
}

async function main(): Promise<void> {
  const root = args.dir;
  if (!root) throw new Error('usage: npm run check:ntc -- --dir=<ntc-templates checkout>');
  const show = Number(args.show ?? 10);
  const templates = join(root, 'ntc_templates', 'templates');
  const cases = collect(root, args.only);
  const index = CliTableIndex.load(templates);
  const started = Date.now();
  const mine = cases.map((c) => ours(index, c));
  const oursMs = Date.now() - started;
  const python = await pythonCliTable(cases.map((c) => ({ dir: templates, platform: c.platform, command: c.command, text: c.text })));
  const mismatches = cases.map((c, i) => ({ c, diff: firstDifference(mine[i], python[i]) })).filter((m) => m.diff);
  const errors = python.filter((p) => (p as { error?: string }).error).length;
  console.log(`ntc-templates corpus: ${cases.length - mismatches.length}/${cases.length} identical to Python clitable`);
  console.log(`  (${errors} of the Python answers are errors; ours took ${oursMs} ms for all cases, compile included)`);
  for (const m of mismatches.slice(0, show)) console.log(`- ${m.c.file} [${m.c.platform} / ${m.c.command}]\n    ${m.diff}`);
  if (mismatches.length > show) console.log(`  ... and ${mismatches.length - show} more`);
  process.exitCode = mismatches.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
