import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

/** Nest's level names to pino's. */
const LEVELS: Record<string, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', info: 'info', debug: 'debug', verbose: 'trace' };

/** Everything that may carry a credential, wherever it appears in a logged object. */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  '*.password', '*.secret', '*.private_key', '*.passphrase', '*.headers.authorization', '*.headers.Authorization',
  'connection_args.password', 'connection_args.secret', 'connection_args.private_key', 'connection_args.passphrase',
];

const PROBES = /^\/health\/(live|ready)\b/;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Structured JSON logs (pino) for both processes: LOG_LEVEL, a request id on every HTTP log line (taken from
 * X-Request-Id when sane, else made, and echoed back), probes logged at debug only, credentials redacted.
 */
export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: LEVELS[config.logLevel] ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The HTTP server sets req.id first (createHttpAdapter, with requestIdOf); this covers anything else.
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
        if (res.statusCode >= 500 || err) return 'error';
        if (PROBES.test(req.url ?? '')) return 'debug';
        return res.statusCode >= 400 ? 'warn' : 'info';
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactQuery(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** The request's id: its X-Request-Id when sane (so a caller can follow its request through the logs), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const SENSITIVE_PARAM = /key|token|secret|password|auth/i;

/** A URL for the log: values of query parameters whose names look like credentials are replaced. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of [...params.keys()]) if (SENSITIVE_PARAM.test(name)) params.set(name, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}
