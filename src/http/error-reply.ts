import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode, type REQUEST_ERROR_CODES } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const body = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({ error: { code, message, details } });

// Fastify's own client errors (bad JSON, wrong content type, body too large) keep their status under our codes.
const FRAMEWORK_CODES: Record<number, ErrorCode | keyof typeof REQUEST_ERROR_CODES> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Errors the router raises before any route runs (a broken %-escape, an over-long path parameter). */
export function frameworkErrorReply(err: FastifyError, _request: FastifyRequest, reply: FastifyReply, dialectBody?: (message: string) => unknown): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  // a dialect's client gets its own envelope, as it does for every other refusal
  reply.status(status).send(dialectBody ? dialectBody(err.message) : body(status === 414 ? 'uri_too_long' : 'bad_request', err.message));
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
        body('validation_failed', `${fe.validationContext ?? 'request'}${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`, {
          part: fe.validationContext,
          path: first?.instancePath,
          keyword: first?.keyword,
          params: first?.params,
        }),
      );
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(body(FRAMEWORK_CODES[fe.statusCode] ?? 'bad_request', fe.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('internal', 'something went wrong on our side; it has been logged'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));
}
