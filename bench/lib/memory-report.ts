import type Redis from 'ioredis';
import { makeRequest, SUCCESS } from './fixtures';
import { Family, totalBytes } from './key-usage';
import { machineLines } from './machine';
import { table, writeRaw, writeSection } from './report';
import { median, ratio } from './stats';

/** The issue's target and the figures it quotes, bytes per finished job (KB read as 1,000 B; 1 KiB = 1,024 B). */
export const TARGET_KB = 4.7;
const ISSUE = { RQ: 6.8, BullMQ: 4.2 } as Record<string, number>;

export interface Layout {
  name: string;
  short: string;
}

export interface LayoutRound {
  /** INFO used_memory after - before */
  infoDelta: number;
  families: Map<string, Family>;
}

interface Measured {
  layout: Layout;
  rounds: LayoutRound[];
}

const b = (x: number) => `${Math.round(x).toLocaleString('en-US')} B`;

function verdict(perJob: number): string {
  if (perJob <= TARGET_KB * 1000) return 'yes';
  if (perJob <= TARGET_KB * 1024) return `yes if KB = KiB (${b(TARGET_KB * 1024)}); no if KB = 1,000 B`;
  return `**no**: ${b(perJob - TARGET_KB * 1024)} over 4.7 KiB`;
}

function summary(n: number, all: Measured[]): string[] {
  const ours = median(all[0].rounds.map((r) => r.infoDelta)) / n;
  return table(
    ['layout', 'B/job: INFO used_memory delta (median)', 'per round', 'B/job: MEMORY USAGE sum (median)', 'issue figure', 'target <= 4.7 KB', 'ours / this'],
    all.map(({ layout, rounds }) => {
      const info = median(rounds.map((r) => r.infoDelta)) / n;
      const usage = median(rounds.map((r) => totalBytes(r.families))) / n;
      return [layout.name, b(info), rounds.map((r) => Math.round(r.infoDelta / n)).join(' / '), b(usage),
        layout.short === 'ours' ? '-' : ISSUE[layout.short] ? `${ISSUE[layout.short]} KB` : '-',
        layout.short === 'ours' ? verdict(info) : '-', layout.short === 'ours' ? '-' : ratio(ours / info)];
    }),
  );
}

/** Per key family: keys, encodings, bytes per job, from the round whose total is the median. */
function breakdown(n: number, m: Measured): string[] {
  const sorted = [...m.rounds].sort((x, y) => totalBytes(x.families) - totalBytes(y.families));
  const families = sorted[Math.floor((sorted.length - 1) / 2)].families;
  const rows = [...families.entries()].sort((x, y) => y[1].bytes - x[1].bytes).map(([name, f]) => [
    name, f.keys.toLocaleString('en-US'), [...f.encodings].join(', '), b(f.bytes / n), `${((100 * f.bytes) / totalBytes(families)).toFixed(1)}%`,
  ]);
  rows.push(['**total**', '', '', `**${b(totalBytes(families) / n)}**`, '100%']);
  return [`#### ${m.layout.short}`, '', ...table(['key family', 'keys', 'encoding', 'bytes per job', 'share'], rows)];
}

export async function report(redis: Redis, n: number, rounds: number, all: Measured[]): Promise<string> {
  const lines = [
    '## memory',
    '',
    `Rerun: \`npm run bench:memory -- --jobs=${n} --rounds=${rounds}\` (defaults: \`npm run bench:memory\`).`,
    '',
    ...(await machineLines(redis)),
    '',
    `Each layout stores ${n.toLocaleString('en-US')} finished jobs under a fresh prefix (no keys before) as long as the`
      + ` default \`netpulse\`, so key names cost what they cost in production (RQ's keys carry it too: +9 characters`
      + ` on each \`rq:job:{uuid}\`), ${rounds} rounds:`
      + ` request ${JSON.stringify(makeRequest('10.20.0.11', true)).length} B of JSON, result ${JSON.stringify(SUCCESS).length} B`
      + ' (2 KB output); 50 hosts, 40% FifoQ and 60% pinned_{host}, 3 nodes. Ours goes through the store\'s create,'
      + ' start and end scripts (its secrets key is created and deleted on the way). Bytes per job = (INFO used_memory'
      + ' after - before) / jobs, median over rounds; the Redis is shared, so other runs\' writes add noise to that'
      + ' figure. MEMORY USAGE (SAMPLES 0) summed over the keys is exact for the keys but leaves out the main'
      + ' dict\'s buckets, the expires dict and fragmentation.',
    '',
    ...summary(n, all),
    '',
    '### Where the bytes go (MEMORY USAGE per key family, divided by the number of jobs)',
    '',
    ...all.flatMap((m) => [...breakdown(n, m), '']),
  ];
  console.log(`\n${lines.join('\n')}`);
  writeRaw('memory', all);
  return writeSection('memory', lines);
}
