import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROFILE_DIR, REPO } from './procs';

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums self time by function and by module (a package under
 * node_modules, a file of ours, or a V8/Node internal bucket), so a report can say where a process spent
 * its CPU without opening DevTools.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** ms not idle (everything but "(idle)") */
  busyMs: number;
  byModule: { name: string; ms: number; share: number }[];
  byFunction: { name: string; ms: number; share: number }[];
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native / V8)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/')[0]}`;
  return relative(REPO, path);
}

/** A file for function labels: `ioredis/built/Pipeline.js`, `src/jobs/job-store.js`, `node:internal/...`. */
function fileOf(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  if (path.startsWith('node:')) return path;
  return relative(REPO, path).replace(/^bench\/out\//, '');
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const mods = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += ms;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const mod = moduleOf(url, functionName || '(anonymous)');
    mods.set(mod, (mods.get(mod) ?? 0) + ms);
    const fname = `${functionName || '(anonymous)'} ${url ? `${fileOf(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fname, (fns.get(fname) ?? 0) + ms);
  }
  const busy = total - idle;
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: busy > 0 ? ms / busy : 0 }));
  return { file: relative(REPO, file), totalMs: total, busyMs: busy, byModule: rank(mods), byFunction: rank(fns) };
}

/** The newest profile in PROFILE_DIR whose name starts with `name` (written when that process exited). */
export function latestProfile(name: string, since = 0): string | null {
  try {
    const files = readdirSync(PROFILE_DIR)
      .filter((f) => f.startsWith(name) && f.endsWith('.cpuprofile'))
      .map((f) => join(PROFILE_DIR, f))
      .filter((f) => statSync(f).mtimeMs >= since)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    return files[0] ?? null;
  } catch {
    return null;
  }
}

/** Markdown lines: the busiest modules and functions of a profile. */
export function profileLines(title: string, s: ProfileSummary, top = 12): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `#### ${title}`,
    '',
    `\`${s.file}\`: ${(s.totalMs / 1000).toFixed(1)} s profiled, ${(s.busyMs / 1000).toFixed(1)} s busy (not idle). Self time:`,
    '',
    '| module | self ms | share of busy |',
    '| --- | --- | --- |',
    ...s.byModule.slice(0, top).map((m) => `| ${m.name} | ${m.ms.toFixed(0)} | ${pct(m.share)} |`),
    '',
    '| function | self ms | share of busy |',
    '| --- | --- | --- |',
    ...s.byFunction.slice(0, top).map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.ms.toFixed(0)} | ${pct(f.share)} |`),
    '',
  ];
}
