/// <reference lib="dom" /> // page.evaluate callbacks run in the browser
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { Requirement, commandRequirement } from './requirements';

/** Debian's chromium package: the browser the dashboard's tests drive (no browser download: only Debian's). */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumRequirement: Requirement = commandRequirement(CHROMIUM, ['--version'], 'chromium');

const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

export interface TestBrowser {
  browser: Browser;
  page: Page;
  /** Content-Security-Policy violations and uncaught errors the page reported */
  problems: string[];
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, one page at a laptop's 1366x768, watching for CSP violations and errors. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'np-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
    protocolTimeout: 60000,
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${(err as Error).message}`));
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  // Injected through the DevTools protocol, so the page's own CSP does not apply to this listener.
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __csp?: string[] };
      (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return {
    browser,
    page,
    problems,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A screenshot of what the page shows now, for a reviewer to look at (test-output/ is not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * A reverse proxy that mounts the API under a path prefix (as `location /netpulse/ { proxy_pass http://api/; }`),
 * so the dashboard is tested where it must find the API relative to itself.
 */
export interface PrefixProxy {
  base: string;
  /**
   * Sees each chunk of the API's answers on its way to the browser: null passes it on; a number n passes its first
   * n bytes, then drops the browser's connection (a network that breaks mid-stream).
   */
  tap: ((path: string, req: IncomingMessage, chunk: Buffer) => number | null) | null;
  /** answers 404 in the API's envelope for the paths it returns true for (an older API without that route) */
  refuse: ((path: string) => boolean) | null;
  close(): Promise<void>;
}

export async function startPrefixProxy(prefix: string, targetPort: number): Promise<PrefixProxy> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the proxied prefix');
      return;
    }
    const path = req.url.slice(prefix.length);
    if (proxy.refuse?.(path)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 404, message: `Cannot GET ${path}`, data: null }));
      return;
    }
    const upstream = request({ host: '127.0.0.1', port: targetPort, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('data', (chunk: Buffer) => {
        const cut = proxy.tap?.(path, req, chunk) ?? null;
        if (cut === null) return void res.write(chunk);
        answer.destroy();
        res.write(chunk.subarray(0, cut), () => setTimeout(() => res.destroy(), 100));
      });
      answer.on('end', () => res.end());
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const proxy: PrefixProxy = {
    base: '',
    tap: null,
    refuse: null,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return proxy;
}

function newestMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Throws unless dist/ui is newer than every file of ui/: a browser test of a stale bundle would test old code. */
export function assertFreshDashboard(): void {
  let built: number;
  try {
    built = statSync(join(ROOT, 'dist', 'ui', 'index.html')).mtimeMs;
  } catch {
    throw new Error('dist/ui is missing: run npm run build (npm test does it) before the browser tests');
  }
  if (newestMs(join(ROOT, 'ui')) > built) throw new Error('dist/ui is older than ui/: run npm run build (npm test does it)');
}
