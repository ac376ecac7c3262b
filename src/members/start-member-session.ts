import { issueToken, type IssuedToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';

/** After any successful member sign-in: note when (and from which client), and hand out a token. */
export async function startMemberSession(
  ctx: AppContext,
  member: { id: number; merchantId: number },
  platform?: string,
): Promise<IssuedToken & { memberId: number }> {
  const now = ctx.clock.now();
  await ctx.db
    .updateTable('members')
    .set({ last_login_at: now, ...(platform ? { platform } : {}) })
    .where('id', '=', member.id)
    .execute();
  const token = await issueToken(
    ctx.db,
    { kind: 'member', id: member.id, merchantId: member.merchantId },
    now,
    ctx.config.memberTokenTtlHours,
  );
  return { ...token, memberId: member.id };
}
