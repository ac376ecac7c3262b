import type { FastifyInstance } from 'fastify';
import { unstorableTextIn } from './storable-text.ts';

/** The longest URL (path and query) ordo reads: what Node allowed for all headers together before. */
export const MAX_URL_LENGTH = 16 * 1024;

/**
 * What Node's HTTP parser lets through (request line and headers together, `maxHeaderSize`; Node's default is
 * 16 KiB): far above MAX_URL_LENGTH, so an over-long URL reaches ordo and is refused in its caller's envelope (414),
 * not by Node's bare 431. Beyond this the connection-level refusal (client-error-reply.ts) answers.
 */
export const MAX_HEADER_BYTES = 1024 * 1024;

const refusal = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

/**
 * Every request passes here once, whatever its route, dialect or content type, before any handler reads it:
 * - a URL over MAX_URL_LENGTH is refused with 414 before anything else is done for it;
 * - text PostgreSQL cannot store (U+0000, a lone surrogate) in path parameters, the query, the parsed body (JSON,
 *   forms, multipart fields and file names) or the headers is refused with 400, after the schemas had their say.
 * Both are thrown as errors, so each route's own error handler answers in its caller's envelope.
 */
export function installRequestBoundary(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH)
      throw refusal(414, `the URL is ${request.url.length} characters long; at most ${MAX_URL_LENGTH} are read`);
  });
  app.addHook('preHandler', async (request) => {
    const problem =
      unstorableTextIn(request.params) ??
      unstorableTextIn(request.query) ??
      unstorableTextIn(request.body) ??
      unstorableTextIn(request.headers);
    if (problem) throw refusal(400, problem);
  });
}
