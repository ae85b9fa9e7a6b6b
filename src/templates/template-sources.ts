import { Injectable } from '@nestjs/common';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';

/** A template's text and where it came from (`inline`, `file://NAME`, or the URL without credentials). */
export interface LoadedTemplate {
  text: string;
  source: string;
}

const FILE_SCHEME = 'file://';

/**
 * Reads the `template` field of a request: plain text (the default), `file://NAME` from TEMPLATES_DIR only, or
 * `http(s)://` from the hosts of TEMPLATE_URL_ALLOWLIST only. The original NetPulse opened any `file://` path on
 * the server and fetched any URL: here a path that leaves the folder (`..`, an absolute path elsewhere, a
 * symbolic link out) and a host not listed are refused before anything is read or connected to.
 */
@Injectable()
export class TemplateSources {
  constructor(private readonly config: AppConfig) {}

  /** `field` names the request field in errors (e.g. `template`, `parsing.template`). */
  async load(template: string, field: string): Promise<LoadedTemplate> {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(template)?.[1]?.toLowerCase();
    let loaded: LoadedTemplate;
    if (scheme === undefined) loaded = { text: template, source: 'inline' };
    else if (scheme === 'file') loaded = { text: await this.readFile(template.slice(FILE_SCHEME.length), field), source: template };
    else if (scheme === 'http' || scheme === 'https') loaded = await this.fetchUrl(template, field);
    else throw refused(field, `template sources are plain text, file://NAME or http(s)://; ${scheme}:// is not supported`);
    if (Buffer.byteLength(loaded.text) > this.config.templateMaxBytes) {
      throw refused(field, `the template is larger than TEMPLATE_MAX_BYTES (${this.config.templateMaxBytes} bytes)`);
    }
    return loaded;
  }

  /** NAME is relative to TEMPLATES_DIR; an absolute path is accepted only where it lies inside it (file:///templates/x). */
  private async readFile(name: string, field: string): Promise<string> {
    const dir = this.config.templatesDir;
    if (!dir) throw refused(field, 'file:// templates need TEMPLATES_DIR, which is not set on this server');
    if (name.length === 0 || name.includes('\0')) throw refused(field, 'file:// needs a template name');
    if (name.split(/[\\/]/).includes('..')) throw refused(field, `template path ${name} contains '..': paths may not leave TEMPLATES_DIR`);
    const root = await realpath(dir).catch(() => {
      throw refused(field, 'TEMPLATES_DIR does not exist on this server');
    });
    const wanted = isAbsolute(name) ? name : resolve(root, name);
    // realpath follows every link, so a link inside the folder that points out of it is caught here too.
    const real = await realpath(wanted).catch(() => null);
    if (real === null || !isInside(root, real)) {
      // Both cases read the same, so a caller cannot probe which files exist outside the folder.
      throw refused(field, `no template ${name} in TEMPLATES_DIR`);
    }
    return this.readRegularFile(real, name, field);
  }

  private async readRegularFile(path: string, name: string, field: string): Promise<string> {
    const file = await open(path, 'r').catch(() => {
      throw refused(field, `template ${name} cannot be read`);
    });
    try {
      const stat = await file.stat();
      if (!stat.isFile()) throw refused(field, `template ${name} is not a file`);
      if (stat.size > this.config.templateMaxBytes) {
        throw refused(field, `template ${name} is larger than TEMPLATE_MAX_BYTES (${this.config.templateMaxBytes} bytes)`);
      }
      return await file.readFile('utf8');
    } finally {
      await file.close();
    }
  }

  private async fetchUrl(template: string, field: string): Promise<LoadedTemplate> {
    let url: URL;
    try {
      url = new URL(template);
    } catch {
      throw refused(field, 'the template URL is not a valid URL');
    }
    const shown = `${url.origin}${url.pathname}`;
    if (!this.allowsHost(url)) {
      throw refused(field, `host ${url.hostname} is not in TEMPLATE_URL_ALLOWLIST: remote templates come only from listed hosts`);
    }
    const limit = this.config.templateMaxBytes;
    let response: Response;
    try {
      // No redirects: a listed host must not be able to send us to one that is not.
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(this.config.templateFetchTimeoutMs) });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw refused(field, timedOut
        ? `fetching template ${shown} took longer than TEMPLATE_FETCH_TIMEOUT_MS (${this.config.templateFetchTimeoutMs} ms)`
        : `template ${shown} could not be fetched`);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw refused(field, `template ${shown} answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}`);
    }
    const text = await readCapped(response, limit).catch((err: Error) => {
      throw refused(field, err.name === 'TooLarge'
        ? `template ${shown} is larger than TEMPLATE_MAX_BYTES (${limit} bytes)`
        : `template ${shown} could not be read within TEMPLATE_FETCH_TIMEOUT_MS`);
    });
    return { text, source: shown };
  }

  /** Exact host names, or `*.example.com` for its subdomains; an entry with a port must match the port too. */
  private allowsHost(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    return this.config.templateUrlAllowList.some((entry) => {
      if (entry === url.host.toLowerCase() || entry === host) return true;
      return entry.startsWith('*.') && host.endsWith(entry.slice(1));
    });
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel.length > 0 && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function refused(field: string, message: string): ApiError {
  return ApiError.badRequest(`Template not accepted: ${message}`, [{ field, error: message }]);
}

/** The body as UTF-8, refused (error named TooLarge) as soon as it passes `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooLarge = Object.assign(new Error('too large'), { name: 'TooLarge' });
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge;
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
