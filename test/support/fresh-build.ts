import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
let checked = false;

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Throws unless `dist/<entry>` is newer than every source file: a test that starts `node dist/...` against a stale
 * build would test yesterday's code (`npm test` builds first; `npx jest` alone does not).
 */
export function assertFreshBuild(entry: string): string {
  const built = join(ROOT, 'dist', entry);
  if (checked) return built;
  let builtMs: number;
  try {
    builtMs = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${built} is missing: run npm run build (npm test does it) before the end-to-end tests`);
  }
  if (newestSourceMs(join(ROOT, 'src')) > builtMs) {
    throw new Error(`dist/ is older than src/: run npm run build (npm test does it) before the end-to-end tests`);
  }
  checked = true;
  return built;
}
