import type { MemberPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { RefundRequestOpening } from '../domain/refund-request-status.ts';

const OPEN: readonly RefundRequestOpening[] = ['requested', 'refunding'];

/** How many of the member's refund requests are still under way (awaiting review, or approved and refunding). */
export async function openRefundCount(ctx: AppContext, member: MemberPrincipal): Promise<number> {
  const row = await ctx.db
    .selectFrom('refund_requests')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('member_id', '=', member.memberId)
    .where('merchant_id', '=', member.merchantId)
    .where('status', 'in', OPEN)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
