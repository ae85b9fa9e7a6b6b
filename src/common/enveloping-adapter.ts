import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Envelope, WithExtras } from './envelope';
import { JsonText } from './json-text';
import { Messages } from './messages';
import { isRawResponse } from './raw-response.decorator';

/**
 * Fastify under Nest, with every successful handler result wrapped in `{code, message: "success", data}` where
 * Nest hands it to the server (`reply`). Not a Nest interceptor: on Node 20 each interceptor costs every request
 * two AsyncResource.bind calls and the async bookkeeping around them; moving the envelope here took a bare request
 * from 0.22 to 0.13 ms of API CPU (bench/RESULTS.md, http-notes).
 * Errors are enveloped by EnvelopeExceptionFilter; routes Nest does not own (Swagger UI) are left alone.
 */
export class EnvelopingFastifyAdapter extends FastifyAdapter {
  override reply(response: FastifyReply, body: unknown, statusCode?: number): FastifyReply {
    return super.reply(response, enveloped(response, body), statusCode) as FastifyReply;
  }
}

function enveloped(reply: FastifyReply, value: unknown): unknown {
  if (isRawResponse(reply.request)) return value;
  // A handler that chose another content type (GET /health for Prometheus) answers as is.
  if (!/json/.test(String(reply.getHeader('content-type') ?? 'json'))) return value;
  const code = reply.statusCode;
  const data = value instanceof WithExtras ? value.data : value;
  const extra = value instanceof WithExtras ? value.extra : {};
  if (data instanceof JsonText) {
    // Sent as a string: Fastify would otherwise stringify it (and through toJSON parse it) again.
    void reply.header('content-type', 'application/json; charset=utf-8');
    return envelopeText(code, data, extra);
  }
  return { code, message: Messages.success, data: data ?? null, ...extra } satisfies Envelope;
}

/** The envelope as JSON text around data that is JSON text already; same keys and order as the object form. */
function envelopeText(code: number, data: JsonText, extra: Record<string, unknown>): string {
  const head = JSON.stringify({ code, message: Messages.success });
  const tail = JSON.stringify(extra);
  return `${head.slice(0, -1)},"data":${data.text}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}
