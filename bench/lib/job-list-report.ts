import { makeRequest, SUCCESS } from './fixtures';
import { PAGE, QUERY_TYPES } from './list-queries';
import { table, writeRaw, writeSection } from './report';
import { count, median, ms, ratio } from './stats';

/** What the issue asks of the data layer at 1M jobs. */
export const TARGET = { p50: 2, p99: 10, growth: 1.5 };

type Figures = Map<string, { p50: number; p99: number; short: number; p50s: number[] }>;

export interface SizeResult {
  size: number;
  added: number;
  fillMs: number;
  /** Redis memory grown since the start; null where the original's layout was stored beside the jobs */
  usedMemory: number | null;
  /** 1-minute load average before and after the data-layer rounds (2 cores: above 2, something else ran) */
  load: number[];
  data: Figures;
  /** LIST executing inside Redis, LIST round trip with the raw reply, PING round trip */
  parts: { server: Figures; raw: Figures; ping: Figures };
  /** the original's pattern, ms per query, one per round */
  original: Map<string, number[]>;
  http: Figures | null;
}

interface Options {
  rounds: number;
  samples: number;
  httpSamples: number;
  httpSizes: number[];
  partsSamples: number;
  baselineMax: number;
  apiMain: string | null;
  apiRev: string | null;
}

const targets = QUERY_TYPES.filter((q) => q.target);

function verdict(r1m: { p50: number; p99: number } | undefined, growth: number | null): string {
  if (!r1m) return 'not measured';
  const misses = [
    r1m.p50 > TARGET.p50 ? `p50 ${ms(r1m.p50)} > ${TARGET.p50}` : '',
    r1m.p99 > TARGET.p99 ? `p99 ${ms(r1m.p99)} > ${TARGET.p99}` : '',
    growth !== null && growth > TARGET.growth ? `growth ${ratio(growth)} > ${TARGET.growth}x` : '',
  ].filter(Boolean);
  return misses.length === 0 ? 'yes' : `**no**: ${misses.join(', ')}`;
}

function latencyTable(results: SizeResult[], pick: (r: SizeResult) => Figures | null, withTargets: boolean): string[] {
  const sized = results.filter((r) => pick(r));
  const first = sized[0];
  const last = sized[sized.length - 1];
  const header = ['query', ...sized.flatMap((r) => [`${count(r.size)} p50`, `${count(r.size)} p99`]),
    `p50 ${last ? count(last.size) : ''} / ${first ? count(first.size) : ''}`, `p50 per round at ${last ? count(last.size) : ''}`];
  if (withTargets) header.push(`pages < ${PAGE} jobs per round at ${last ? count(last.size) : ''}`, 'target at 1M', 'met');
  const rows = QUERY_TYPES.map((q) => {
    const at = (r: SizeResult) => pick(r)!.get(q.name)!;
    const growth = first && last && first !== last ? at(last).p50 / at(first).p50 : null;
    const row = [q.name, ...sized.flatMap((r) => [ms(at(r).p50), ms(at(r).p99)]),
      growth === null ? '-' : ratio(growth), last ? at(last).p50s.map(ms).join(' / ') : '-'];
    const r1m = results.find((r) => r.size === 1_000_000);
    if (withTargets) {
      row.push(last ? String(at(last).short) : '-');
      row.push(q.target ? `p50 <= ${TARGET.p50}, p99 <= ${TARGET.p99}, p50 1M/10k <= ${TARGET.growth}x` : '(extra, no target)');
      row.push(q.target ? verdict(r1m ? pick(r1m)!.get(q.name) : undefined, growth) : '-');
    }
    return row;
  });
  return table(header, rows);
}

/** The original's time per size, measured where it was run and extrapolated linearly to 1M. */
function originalTable(results: SizeResult[]): string[] {
  const measured = results.filter((r) => r.original.size > 0);
  if (measured.length === 0) return ['(the original pattern was not run)'];
  const rows: string[][] = [];
  for (const q of targets) {
    const pts = measured.map((r) => ({ n: r.size, t: median(r.original.get(q.name)!) }));
    const extrapolate = (n: number) => {
      if (pts.length === 1) return (pts[0].t * n) / pts[0].n;
      const [a, b] = [pts[pts.length - 2], pts[pts.length - 1]];
      return b.t + ((b.t - a.t) / (b.n - a.n)) * (n - b.n);
    };
    for (const r of results) {
      const ran = r.original.get(q.name);
      const theirs = ran ? median(ran) : extrapolate(r.size);
      const ours = r.data.get(q.name)!.p50;
      rows.push([q.name, count(r.size), ran ? `${ms(theirs)} (rounds: ${ran.map(ms).join(' / ')})` : `${ms(theirs)} **extrapolated**`,
        ms(ours), ratio(ours / theirs), ratio(theirs / ours)]);
    }
  }
  return table(['query', 'jobs', 'original pattern, ms', 'ours p50, ms', 'ours / original', 'speed-up'], rows);
}

function partsTable(results: SizeResult[]): string[] {
  const rows = QUERY_TYPES.flatMap((q) => results.map((r) => {
    const [s, raw, ping, full] = [r.parts.server, r.parts.raw, r.parts.ping, r.data].map((f) => f.get(q.name)!);
    return [q.name, count(r.size), ms(ping.p50), `${ms(s.p50)} (p99 ${ms(s.p99)})`, ms(raw.p50), ms(full.p50)];
  }));
  return table(['query', 'jobs', 'PING round trip', 'LIST inside Redis', 'LIST round trip, raw reply', 'store.list'], rows);
}

function fillTable(results: SizeResult[]): string[] {
  return table(['jobs stored', 'fill time (store only)', 'rate', 'Redis memory grown (all keys of the run)', 'load average around the data-layer rounds'], results.map((r) => [
    count(r.size), `${(r.fillMs / 1000).toFixed(1)} s for ${count(r.added)}`, `${Math.round(r.added / (r.fillMs / 1000))} jobs/s`,
    r.usedMemory === null ? '(original layout stored beside it)' : `${(r.usedMemory / 2 ** 30).toFixed(2)} GiB = ${Math.round(r.usedMemory / r.size)} B/job`,
    r.load.map((l) => l.toFixed(2)).join(' -> '),
  ]));
}

export function report(machine: string[], results: SizeResult[], o: Options, notes: string[]): string {
  const args = `--sizes=${results.map((r) => r.size).join(',')} --rounds=${o.rounds} --samples=${o.samples} --http-samples=${o.httpSamples} --http-sizes=${o.httpSizes.join(',')} --baseline-max=${o.baselineMax}`
    + (o.apiRev ? ` --api-rev=${o.apiRev}` : o.apiMain && !o.apiMain.startsWith('bench/out/') ? ` --api=${o.apiMain}` : '');
  const lines = [
    '## job-list',
    '',
    `Rerun: \`npm run bench:job-list -- ${args}\` (defaults: \`npm run bench:job-list\`).`,
    '',
    ...machine,
    '',
    `Jobs: 80% finished, 10% failed, 5% queued, 5% started; 50 hosts, 40% FifoQ and 60% pinned_{host}, 3 nodes;`
      + ` request ${JSON.stringify(makeRequest('10.20.0.11', true)).length} B of JSON, finished result ${JSON.stringify(SUCCESS).length} B`
      + ` (2 KB output). Every job went through the store's create, start and end scripts.`,
    `Each figure: ${o.rounds} rounds; per round and query type ${o.samples} sequential \`list(filter, ${PAGE}, cursor)\` calls,`
      + ' half first pages and half pages reached through a cursor at a random depth (filters drawn per call:'
      + ' random host, FifoQ or a random pinned queue); the table gives the median over rounds of each round\'s p50 and p99.',
    '',
    `### Data layer: \`JobStore.list\`, page of ${PAGE}, ms`,
    '',
    ...latencyTable(results, (r) => r.data, true),
    '',
    '### Where a page\'s time goes (p50, ms; median over rounds)',
    '',
    `The first ${o.partsSamples} samples of each list again, per round: the LIST script as the store sends it, timed inside Redis by a wrapper that`
      + ' returns only its duration (Redis clock); the same call\'s round trip with its reply as ioredis returns'
      + ' it (no JSON parsing, no records); a PING round trip (the machine\'s noise floor); and `store.list`.',
    '',
    ...partsTable(results),
    '',
    '### Beside the original pattern (every job key scanned and fetched, filtered and sorted in the process)',
    '',
    `Run in the same process on the same jobs stored in RQ's layout (\`rq:job:{uuid}\` hashes with request and result,`
      + ` plus its registries), at sizes up to ${count(o.baselineMax)}; beyond that the time is **extrapolated**`
      + ' linearly (the pattern reads every job, so it is linear in the number stored). The issue measured 88 s'
      + ' for one status=finished query at 1M with the original itself.',
    '',
    ...originalTable(results),
    '',
    `### HTTP: \`GET /job?...&limit=${PAGE}\` against the API process (\`node ${o.apiMain ?? '-'}\`), to the last body byte, ms`,
    '',
    'Same samples as the data layer (the first ones of each list), one request at a time over a kept-alive connection;'
      + ' the response of a page is about 150 KB (50 jobs with their 2 KB output).',
    '',
    ...(results.some((r) => r.http) ? latencyTable(results, (r) => r.http, false) : ['(not run)']),
    '',
    '### Fill',
    '',
    ...fillTable(results),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ];
  console.log(`\n${lines.join('\n')}`);
  writeRaw('job-list', results);
  return writeSection('job-list', lines);
}
