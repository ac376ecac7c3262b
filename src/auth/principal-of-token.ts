import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { resolveToken, type Principal } from './tokens.ts';

/**
 * The principal behind a token a client sent (null for none, or one that is unknown, expired, revoked or belongs
 * to a disabled staff member). Transport code reads the header and calls this; it never opens the database itself.
 */
export async function principalOfToken(
  ctx: { db: Db; clock: Clock },
  token: string | null | undefined,
): Promise<Principal | null> {
  return token ? resolveToken(ctx.db, token, ctx.clock.now()) : null;
}
