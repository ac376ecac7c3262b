import type { FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer <token>` header, or null: the one place a request's credential is read. */
export function bearerToken(request: Pick<FastifyRequest, 'headers'>): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}
