import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/bearer-token.ts';
import { resolveToken, type MemberPrincipal, type Principal, type StaffPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { StaffRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** the route also takes `?access_token=` (EventSource and <img> cannot send headers) */
    queryToken?: boolean;
    /** a staff read worth an audit entry, like a change: a bulk export of customer data */
    audited?: boolean;
  }
}

function queryToken(request: FastifyRequest): string | null {
  const value = (request.query as Record<string, unknown> | undefined)?.access_token;
  return typeof value === 'string' && value ? value : null;
}

/** Resolves the bearer token (if any) once per request; the guards below decide what is required. */
export function principalResolver(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request) ?? (request.routeOptions.config.queryToken ? queryToken(request) : null);
    request.principal = token ? await resolveToken(ctx.db, token, ctx.clock.now()) : null;
  };
}

export async function requireSignedIn(request: FastifyRequest): Promise<void> {
  if (!request.principal) throw new AppError('unauthorized', 'sign in first: send Authorization: Bearer <token>');
}

export async function requireMember(request: FastifyRequest): Promise<void> {
  await requireSignedIn(request);
  if (request.principal!.kind !== 'member') throw new AppError('forbidden', 'this route is for members');
}

export function requireStaff(...roles: StaffRole[]) {
  return async (request: FastifyRequest, _reply?: FastifyReply): Promise<void> => {
    await requireSignedIn(request);
    const p = request.principal!;
    if (p.kind !== 'staff') throw new AppError('forbidden', 'this route is for staff');
    if (roles.length && !roles.includes(p.role))
      throw new AppError('forbidden', `this route needs the ${roles.join(' or ')} role`);
  };
}

export const memberOf = (request: FastifyRequest) => request.principal as MemberPrincipal;
export const staffOf = (request: FastifyRequest) => request.principal as StaffPrincipal;
