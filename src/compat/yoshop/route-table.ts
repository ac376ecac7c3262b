import type { FastifyRequest } from 'fastify';
import type { MemberPrincipal } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import type { MappingEnv, YoshopEnvelope } from './mapping.ts';
import type { Params } from './params.ts';

/**
 * One call of a YoShop action (`index.php?s=/api/<action>`): the parameters (query and JSON body as one set), the
 * `platform` and `storeId` headers, and the signed-in member when there is one.
 */
export interface OpenCall {
  ctx: AppContext;
  env: MappingEnv;
  request: FastifyRequest;
  p: Params;
  platform: string;
  storeId: number;
  member: MemberPrincipal | null;
}

/** A call of an action that needs the member signed in (the dispatcher answers needLogin before it runs). */
export interface MemberCall extends OpenCall {
  member: MemberPrincipal;
}

/** The actions of one page family, by action name. */
export type OpenRoutes = Record<string, (call: OpenCall) => Promise<YoshopEnvelope>>;
export type MemberRoutes = Record<string, (call: MemberCall) => Promise<YoshopEnvelope>>;
