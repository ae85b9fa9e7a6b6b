import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Where `npm run build` puts the dashboard (ui/build.mjs): `<project>/dist/ui`. The same path from src/dashboard
 * (tests through ts-jest) and from dist/dashboard (node dist/main.js, the image's /app/dist/dashboard).
 */
export const DASHBOARD_DIR = join(__dirname, '..', '..', 'dist', 'ui');

/** One file of the dashboard, held in memory with its gzip form and ETag. */
export interface DashboardAsset {
  type: string;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  /** file names with a content hash (app-3F2A1B.js) never change: cached for a year; index.html is revalidated */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** A content hash in the name, as ui/build.mjs writes it (esbuild's [name]-[hash]). */
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/;

/**
 * Reads the built dashboard once, at start: a handful of small files (tens of KB), so each is served from memory
 * with a gzip copy made here. Only names found in the folder at start are ever answered: a request names a key of
 * this map, never a path on disk. Empty when the dashboard was not built.
 */
export function loadDashboardAssets(dir = DASHBOARD_DIR): Map<string, DashboardAsset> {
  const assets = new Map<string, DashboardAsset>();
  if (!existsSync(dir)) return assets;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const type = TYPES[extname(entry.name)];
    if (!entry.isFile() || !type || entry.name.startsWith('.')) continue;
    const body = readFileSync(join(dir, entry.name));
    const gzip = body.length > 512 && type !== 'image/png' ? gzipSync(body, { level: 9 }) : null;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(entry.name, { type, body, gzip, etag, immutable: HASHED.test(entry.name) });
  }
  return assets;
}
