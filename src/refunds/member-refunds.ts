import type { AppContext } from '../context.ts';
import { listRefunds } from './list-refunds.ts';

/** The member's refund requests, newest first; one of them by its number when `refundNo` is given. */
export async function listMemberRefunds(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  filter: { refundNo?: string; limit?: number } = {},
) {
  return listRefunds(ctx.db, { memberId: member.memberId, merchantId: member.merchantId, ...filter });
}
