import type { FastifyRequest } from 'fastify';

type Done = (err: Error | null, body?: unknown) => void;

/**
 * A JSON body parser for the seed clients: an empty body is no body (axios sends none on PUT/DELETE without data,
 * still labelled JSON), `__proto__` and `constructor` keys are dropped, and JSON that does not parse is `invalid()`,
 * the dialect's own refusal.
 */
export function lenientJsonBody(invalid: () => Error) {
  return (_request: FastifyRequest, body: string, done: Done) => {
    if (body.trim() === '') return done(null, undefined);
    try {
      done(
        null,
        JSON.parse(body, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value)),
      );
    } catch {
      done(invalid());
    }
  };
}
