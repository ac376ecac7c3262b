import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';
import { chineseMessage, requestErrorMessage, validationMessage } from './messages-zh.ts';

/**
 * How one dialect answers what goes wrong, in its own envelope. The five dialects differ only in these values; the
 * order of the checks and the logging are the same for all and live in `installDialectErrors`.
 */
export interface DialectErrorPolicy<Body> {
  /** the dialect's name, for the log line of an error nobody meant */
  name: string;
  /** the envelope for an error the dialect answers (its own refusals, an AppError, bad input); null for one nobody meant */
  refusal: (err: Error) => Body | null;
  /** the envelope of a failure that has only a message (the server's own fault, an unknown route) */
  failure: (message: string) => Body;
  /** the message of an error nobody meant (logged; the client shows this, so it is Chinese) */
  busyMessage: string;
  /** HTTP status of an error nobody meant: 200 where the seed answers everything in its envelope, else 500 */
  unhandledStatus: 200 | 500;
  /** HTTP status and message of a route the dialect does not have */
  notFound: { status: 200 | 404; message: (method: string, path: string) => string };
}

/** Registers the dialect's error and not-found handlers on its plugin instance (they cover its routes only). */
export function installDialectErrors<Body>(app: FastifyInstance, policy: DialectErrorPolicy<Body>): void {
  app.setErrorHandler((err: Error, request, reply) => {
    const refusal = policy.refusal(err);
    if (refusal !== null) return reply.status(200).send(refusal);
    request.log.error({ err }, `unhandled error in the ${policy.name} dialect`);
    return reply.status(policy.unhandledStatus).send(policy.failure(policy.busyMessage));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(policy.notFound.status)
      .send(policy.failure(policy.notFound.message(request.method, request.url.split('?')[0]!))),
  );
}

/** A Fastify error the client caused (4xx) other than a schema validation: a bad body, a wrong content type. */
export function clientError(err: Error): FastifyError | null {
  const fe = err as FastifyError;
  return !fe.validation && fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe : null;
}

/**
 * The refusal policy of the read-only dialects whose envelope carries ordo's error code (storefront, wholesale):
 * an AppError, a failed schema and any other 4xx, each in the Chinese of the message catalogue.
 */
export function codedRefusal<Body>(envelope: (code: ErrorCode | null, message: string) => Body) {
  return (err: Error): Body | null => {
    if (err instanceof AppError) return envelope(err.code, chineseMessage(err));
    const fe = err as FastifyError;
    if (fe.validation) return envelope(null, validationMessage(fe));
    const client = clientError(err);
    return client ? envelope(null, requestErrorMessage(client.statusCode!, client.message)) : null;
  };
}
