import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { logContext } from '../log-context.ts';

/** A proxy's X-Request-Id when it looks like an id (it lands in logs and audit rows), otherwise a new UUID. */
export function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Runs each request in a log context holding its id (so use cases' log lines carry it too) and answers with it in
 * X-Request-Id. The context is entered again before the handler: body parsing runs in stream callbacks that do not
 * carry it over.
 */
export function installRequestIds(app: FastifyInstance): void {
  const enter = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) =>
    logContext.run({ reqId: String(request.id) }, done);
  app.addHook('onRequest', enter);
  app.addHook('preHandler', enter);
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-request-id', request.id);
  });
}
