import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode, type REQUEST_ERROR_CODES } from '../errors.ts';
import type { RefusalFor } from './refusal-envelope.ts';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const body = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

// Fastify's own client errors (bad JSON, wrong content type, body too large) keep their status under our codes.
const FRAMEWORK_CODES: Record<number, ErrorCode | keyof typeof REQUEST_ERROR_CODES> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
};

/** Errors the router raises before any route runs (a broken %-escape, an over-long path parameter). */
export function frameworkErrorReply(
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  refusalFor: RefusalFor,
): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  // a dialect's client (or a gateway) gets its own envelope, as it does for every other refusal
  const refusal = refusalFor(request.url, status, FRAMEWORK_CODES[status] ?? 'bad_request', err.message);
  reply.status(status).type(refusal.contentType).send(refusal.body);
}

/** Canonical error envelope `{"error":{"code","message","details"}}`; anything unexpected is a logged 500. */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(ERROR_STATUS[err.code]).send(body(err.code, err.message, err.details));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      return reply.status(400).send(
        body(
          'validation_failed',
          `${fe.validationContext ?? 'request'}${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`,
          {
            part: fe.validationContext,
            path: first?.instancePath,
            keyword: first?.keyword,
            params: first?.params,
          },
        ),
      );
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(body(FRAMEWORK_CODES[fe.statusCode] ?? 'bad_request', fe.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('internal', 'something went wrong on our side; it has been logged'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
