import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { revokeToken } from './tokens.ts';

/** Signs a token out now (a client's logout, or a session replaced by a new sign-in); a dead token changes nothing. */
export async function revokeClientToken(ctx: { db: Db; clock: Clock }, token: string): Promise<void> {
  await revokeToken(ctx.db, token, ctx.clock.now());
}
