// Builds the dashboard (ui/src) into dist/ui with esbuild: one script, one stylesheet (content-hashed names, cached
// for a year by the API), index.html and the icon; then prints the gzipped size and fails above the budget.
// `node ui/build.mjs --size` (npm run ui:size) only reports the size of what is built.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'ui');
/** The target: the whole dashboard at most 150 KB gzipped. */
const BUDGET_GZIP_BYTES = 150 * 1024;

async function bundle() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: { app: join(here, 'src', 'main.ts'), style: join(here, 'src', 'styles.css') },
    outdir: out,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome111', 'firefox111', 'safari16.4'],
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  const html = readFileSync(join(here, 'index.html'), 'utf8').replace('%JS%', js).replace('%CSS%', css);
  writeFileSync(join(out, 'index.html'), html);
  copyFileSync(join(here, 'favicon.svg'), join(out, 'favicon.svg'));
}

function report() {
  let files;
  try {
    files = readdirSync(out).sort();
  } catch {
    console.error('dist/ui is missing: npm run build builds it');
    process.exit(1);
  }
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const body = readFileSync(join(out, f));
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += z;
    console.log(`  ui: ${f.padEnd(24)} ${String(body.length).padStart(7)} B  ${String(z).padStart(6)} B gzipped`);
  }
  console.log(`  ui: total ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
  if (gz > BUDGET_GZIP_BYTES) {
    console.error(`ui: over the budget of ${BUDGET_GZIP_BYTES / 1024} KB gzipped`);
    process.exit(1);
  }
}

if (!process.argv.includes('--size')) await bundle();
report();
