/**
 * bench/templates: TextFSM parse throughput and per-call latency, our engine against Python textfsm 1.1.0 on
 * the same templates and outputs in the same run (Python timed inside its own process with perf_counter over
 * the same loop; templates compiled beforehand on both sides, compile time reported apart).
 *
 *   npm run bench:templates [-- --rounds=3 --seconds=3 --ntc=/path/to/ntc-templates]
 *
 * Mixes: the hand-written fixture corpus (test/fixtures/textfsm, six platforms) and, with --ntc, every
 * ntc-templates test output with the template its index picks (cases Python fails on are left out).
 * Target: >= 5x Python's throughput.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CliTableIndex, TextFsm } from '../src/templates/textfsm';
import { universalNewlines } from '../src/templates/textfsm/cli-table-index-file';
import { runPythonJsonLines, SYSTEM_PYTHON } from '../test/support/python-oracle';
import { oracleScript, textfsmFixturesDir } from '../test/fixtures/textfsm/oracle';
import { publishSection, table } from './lib/report';
import { median, percentile, ratio } from './lib/stats';
import { arg } from './lib/args';

const ROUNDS = Number(arg('rounds', '3'));
const SECONDS = Number(arg('seconds', '3'));
const NTC = arg('ntc', '');
const TARGET = 5;

interface Case {
  template: string;
  text: string;
}

interface Round {
  parses: number;
  records: number;
  seconds: number;
  latencies: number[];
}

interface Side {
  compileSeconds: number;
  rounds: Round[];
}

function fixtureMix(): Case[] {
  const root = textfsmFixturesDir();
  const cases: Case[] = [];
  for (const platform of readdirSync(root).filter((d) => d !== 'oracle' && statSync(join(root, d)).isDirectory())) {
    for (const file of readdirSync(join(root, platform)).filter((f) => f.endsWith('.textfsm'))) {
      const base = join(root, platform, file.slice(0, -'.textfsm'.length));
      cases.push({ template: readFileSync(`${base}.textfsm`, 'utf8'), text: readFileSync(`${base}.txt`, 'utf8') });
    }
  }
  return cases;
}

/** ntc's tests/<platform>/<command>/*.raw with the first template the index names for them. */
function ntcMix(root: string, skip: string[] = []): Case[] {
  const dir = join(root, 'ntc_templates', 'templates');
  const index = CliTableIndex.load(dir);
  const cases: Case[] = [];
  const sub = (p: string) => readdirSync(p).filter((d) => statSync(join(p, d)).isDirectory());
  for (const platform of sub(join(root, 'tests'))) {
    for (const command of sub(join(root, 'tests', platform))) {
      if (skip.includes(`${platform}/${command}`)) continue;
      const names = index.templatesFor({ Command: command.split('_').join(' '), Platform: platform });
      if (!names) continue;
      const template = universalNewlines(readFileSync(join(dir, names[0]), 'utf8'));
      for (const raw of readdirSync(join(root, 'tests', platform, command)).filter((f) => f.endsWith('.raw'))) {
        cases.push({ template, text: universalNewlines(readFileSync(join(root, 'tests', platform, command, raw), 'utf8')) });
      }
    }
  }
  return cases;
}

function runOurs(cases: Case[]): Side {
  const t0 = performance.now();
  const fsms = cases.map((c) => TextFsm.compile(c.template));
  const compileSeconds = (performance.now() - t0) / 1000;
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let parses = 0;
    let records = 0;
    const latencies: number[] = [];
    const start = performance.now();
    do {
      for (let i = 0; i < cases.length; i++) {
        const t = performance.now();
        const rows = fsms[i].parseText(cases[i].text);
        latencies.push((performance.now() - t) / 1000);
        parses++;
        records += rows.length;
      }
    } while (performance.now() - start < SECONDS * 1000);
    rounds.push({ parses, records, seconds: (performance.now() - start) / 1000, latencies });
  }
  return { compileSeconds, rounds };
}

async function runPython(cases: Case[]): Promise<Side> {
  const [out] = await runPythonJsonLines<unknown, { compile_seconds: number; rounds: Round[] }>(
    oracleScript('bench_oracle'),
    [{ cases, rounds: ROUNDS, min_seconds: SECONDS }],
    (ROUNDS * SECONDS * 4 + 600) * 1000,
  );
  return { compileSeconds: out.compile_seconds, rounds: out.rounds };
}

/** Python fails on some ntc cases (an Error action): drop those so both sides time the same work. */
function parsesCleanly(c: Case): boolean {
  try {
    TextFsm.compile(c.template).parseText(c.text);
    return true;
  } catch {
    return false;
  }
}

const us = (s: number) => `${(s * 1e6).toFixed(s < 1e-4 ? 1 : 0)} µs`;
const rate = (n: number) => (n >= 1e4 ? `${Math.round(n).toLocaleString('en-US')}` : n.toFixed(0));

function summary(side: Side) {
  const perRound = side.rounds.map((r) => ({ pps: r.parses / r.seconds, rps: r.records / r.seconds, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99) }));
  return {
    pps: median(perRound.map((r) => r.pps)),
    rps: median(perRound.map((r) => r.rps)),
    p50: median(perRound.map((r) => r.p50)),
    p99: median(perRound.map((r) => r.p99)),
    rounds: perRound.map((r) => rate(r.pps)).join(' / '),
  };
}

async function measure(name: string, cases: Case[]): Promise<string[][]> {
  console.log(`${name}: ${cases.length} parses per pass, ${ROUNDS} rounds of >= ${SECONDS} s on each side`);
  const ours = summary(runOurs(cases));
  const python = await runPython(cases);
  const theirs = summary(python);
  const compileOurs = compileTime(cases);
  const x = ours.pps / theirs.pps;
  console.log(`  ours ${rate(ours.pps)} parses/s (${ours.rounds}), Python ${rate(theirs.pps)} (${theirs.rounds}): ${ratio(x)}, target >= ${TARGET}x`);
  return [
    [name, 'throughput (parses/s)', rate(ours.pps), rate(theirs.pps), ratio(x), `>= ${TARGET}x`, x >= TARGET ? 'yes' : 'no'],
    [name, 'throughput (records/s)', rate(ours.rps), rate(theirs.rps), ratio(ours.rps / theirs.rps), '-', '-'],
    [name, 'per call p50', us(ours.p50), us(theirs.p50), ratio(theirs.p50 / ours.p50), '-', '-'],
    [name, 'per call p99', us(ours.p99), us(theirs.p99), ratio(theirs.p99 / ours.p99), '-', '-'],
    [name, 'compile, per template', us(compileOurs / cases.length), us(python.compileSeconds / cases.length), ratio(python.compileSeconds / compileOurs), '-', '-'],
  ];
}

/** A cold compile of every template (a fresh process would pay this once per template). */
function compileTime(cases: Case[]): number {
  const t0 = performance.now();
  for (const c of cases) TextFsm.compile(c.template);
  return (performance.now() - t0) / 1000;
}

function machineLines(): string[] {
  const run = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return '(unavailable)';
    }
  };
  return [
    `- date: ${new Date().toISOString()}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `- CPU: ${cpus()[0]?.model ?? 'unknown'}; \`nproc\` = ${cpus().length}`,
    `- code: commit ${run('git', ['rev-parse', '--short', 'HEAD'])}; ${run('git', ['status', '--porcelain', '--', 'src/templates/textfsm']).split('\n').filter(Boolean).length} changed paths under src/templates/textfsm`,
    `- node ${process.version}; ${run(SYSTEM_PYTHON, ['--version'])}, textfsm ${run(SYSTEM_PYTHON, ['-c', 'import textfsm; print(textfsm.__version__)'])}`,
  ];
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  rows.push(...(await measure('fixtures (6 platforms)', fixtureMix())));
  if (NTC) {
    const all = ntcMix(NTC);
    rows.push(...(await measure(`ntc-templates tests (${all.length} outputs)`, all.filter(parsesCleanly))));
    // Its template's `^(\s*-*)*\s*$` backtracks exponentially in Python (seconds per output): without it, the rest.
    const rest = ntcMix(NTC, ['cisco_s300/show_vlan']);
    rows.push(...(await measure(`ntc-templates tests without cisco_s300 show vlan (${rest.length})`, rest.filter(parsesCleanly))));
  }
  const command = `npm run bench:templates -- --rounds=${ROUNDS} --seconds=${SECONDS}${NTC ? ' --ntc=<ntc-templates checkout>' : ''}`;
  publishSection('templates', [
    '## TextFSM: our engine against Python textfsm 1.1.0',
    '',
    `\`${command}\``,
    '',
    ...machineLines(),
    '',
    `Medians of ${ROUNDS} rounds; each round parses the whole mix again and again for at least ${SECONDS} s, every template compiled`,
    'before (compile timed apart; ours leaves V8\'s native RegExp code generation to the first match). Latency is per parse call over the mix. Python is timed inside its own',
    'process (time.perf_counter), with `Reset()` before each `ParseText` as our parse starts from a clean state.',
    '',
    ...table(['mix', 'figure', 'ours', 'Python textfsm', 'ratio', 'target', 'met'], rows),
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
