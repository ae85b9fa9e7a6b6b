/**
 * The dashboard's API client: the same HTTP API the other clients use, the key in X-API-KEY, the envelope
 * {code, message, data} unwrapped. The base is where the API is relative to the page (one level above /ui/), so a
 * reverse proxy may serve both under any prefix.
 */
export interface FieldError {
  field: string;
  error: string;
}

export interface Envelope<T> {
  code: number;
  message: string;
  data: T;
  page?: { limit: number; next_cursor: string | null };
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly fields: FieldError[] = []) {
    super(message);
  }

  /** Whether the server refused this query parameter (a feature it does not have yet, such as `wait`). */
  refusedField(name: string): boolean {
    return this.status === 400 && this.fields.some((f) => f.field === name);
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export const KEY_HEADER = 'X-API-KEY';

export class Api {
  /** server clock minus ours, from the Date header (1 s resolution): heartbeat ages are told on the server's clock */
  clockOffsetMs = 0;

  constructor(readonly base: URL, private readonly key: string, private readonly onUnauthorized: () => void = () => undefined) {}

  url(path: string, query: Query = {}): URL {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, String(v));
    return url;
  }

  get headers(): Record<string, string> {
    return { [KEY_HEADER]: this.key };
  }

  /** The envelope of a JSON route; throws ApiError on any status but 2xx and those in `accept`. */
  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, query: Query = {}, opts: { accept?: number[]; signal?: AbortSignal } = {}): Promise<Envelope<T>> {
    const res = await this.fetch(method, path, query, 'application/json', opts.signal);
    const body = (await res.json().catch(() => null)) as Envelope<T> | null;
    if (res.ok || opts.accept?.includes(res.status)) {
      if (!body || typeof body !== 'object') throw new ApiError(res.status, `Unexpected answer from ${path} (HTTP ${res.status})`);
      return body;
    }
    const fields = Array.isArray(body?.data) ? (body.data as unknown[]).filter(isFieldError) : [];
    throw new ApiError(res.status, body?.message ?? `HTTP ${res.status}`, fields);
  }

  async get<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<Envelope<T>> {
    return this.call<T>('GET', path, query, { signal });
  }

  /** A text route (/metrics). */
  async text(path: string): Promise<string> {
    const res = await this.fetch('GET', path, {}, 'text/plain');
    if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status} from ${path}`);
    return res.text();
  }

  private async fetch(method: string, path: string, query: Query, accept: string, signal?: AbortSignal): Promise<Response> {
    const res = await fetch(this.url(path, query), { method, headers: { ...this.headers, Accept: accept }, cache: 'no-store', credentials: 'omit', signal });
    const date = res.headers.get('date');
    // The Date header is truncated to the second: half a second is the expected truncation.
    if (date) this.clockOffsetMs = Date.parse(date) + 500 - Date.now();
    if (res.status === 401) {
      this.onUnauthorized();
      throw new ApiError(401, 'The API key was refused');
    }
    return res;
  }
}

function isFieldError(x: unknown): x is FieldError {
  return typeof x === 'object' && x !== null && typeof (x as FieldError).field === 'string';
}

/** The API's root as seen from a script served at <root>/ui/<file>. */
export function apiBaseOf(scriptUrl: string): URL {
  return new URL('../', scriptUrl);
}
