import type { FastifyInstance } from 'fastify';
import type { Transport } from './provider.ts';

/**
 * Routes gateway calls and sandbox notifications to a Fastify app in the same process without a socket: tests
 * and single-process sandbox runs get the full HTTP stack (signatures over the real bytes) without a network.
 */
export function injectTransport(app: () => FastifyInstance): Transport {
  return async (request) => {
    const url = new URL(request.url);
    const response = await app().inject({
      method: request.method,
      url: url.pathname + url.search,
      headers: request.headers,
      payload: request.body,
    });
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(response.headers)) if (value !== undefined) headers[key] = String(value);
    return { status: response.statusCode, headers, body: response.body };
  };
}
