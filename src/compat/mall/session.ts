import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { principalOfToken } from '../../auth/principal-of-token.ts';
import type { MemberPrincipal } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { MALL_STATUS } from './mapping.ts';
import { MallError } from './params.ts';

/**
 * The mall client authenticates with a server session cookie (set at POST /user/login; same-origin through its
 * proxy). The cookie holds an ordo member token, so a session is a token: it expires with it and logging out
 * revokes it.
 */
export const SESSION_COOKIE = 'MALL_SESSION';

export function sessionToken(request: FastifyRequest): string | null {
  const value = request.cookies?.[SESSION_COOKIE];
  return typeof value === 'string' && value ? value : null;
}

export function setSession(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: Date,
  now: Date,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

export function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** A bearer token (resolved by the app) wins; otherwise the session cookie names the member. */
export function sessionResolver(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.principal) return;
    const token = sessionToken(request);
    if (token) request.principal = await principalOfToken(ctx, token);
  };
}

export function sessionMember(request: FastifyRequest): MemberPrincipal | null {
  const p = request.principal;
  return p && p.kind === 'member' ? p : null;
}

/** Member routes answer status 10 before looking at the input, so the client goes to its login page. */
export async function requireLogin(request: FastifyRequest): Promise<void> {
  if (!sessionMember(request)) throw new MallError(MALL_STATUS.needLogin, '用户未登录,请登录');
}

/** The member of a route behind `requireLogin`. */
export const signedIn = (request: FastifyRequest) => sessionMember(request) as MemberPrincipal;
