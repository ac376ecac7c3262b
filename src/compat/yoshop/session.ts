import type { FastifyRequest } from 'fastify';
import { principalOfToken } from '../../auth/principal-of-token.ts';
import type { MemberPrincipal } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';

/**
 * The YoShop client sends an ordo member token in its `Access-Token` header; the literal string "false" (and an
 * absent header) means logged out. A bearer token resolved by the app wins.
 */
export function accessToken(request: FastifyRequest): string | null {
  const value = request.headers['access-token'];
  const token = Array.isArray(value) ? value[0] : value;
  return token && token !== 'false' && token !== 'null' && token !== 'undefined' ? token : null;
}

export function accessTokenResolver(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.principal) return;
    const token = accessToken(request);
    if (token) request.principal = await principalOfToken(ctx, token);
  };
}

export function sessionMember(request: FastifyRequest): MemberPrincipal | null {
  const p = request.principal;
  return p && p.kind === 'member' ? p : null;
}
