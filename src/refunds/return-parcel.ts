import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

export interface ReturnParcel {
  carrier: string;
  trackingNo: string;
  sentAt: Date | null;
}

/**
 * The buyer tells how they sent the goods of a return-and-refund request back: once, for their own request, unless
 * staff rejected it. One guarded statement, so two concurrent sends record one parcel; the reason for a refusal is
 * read afterwards.
 */
export async function recordReturnParcel(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  refundNo: string,
  parcel: { carrier: string; trackingNo: string },
): Promise<ReturnParcel> {
  const now = ctx.clock.now();
  const sent = await ctx.db
    .updateTable('refund_requests')
    .set({ return_carrier: parcel.carrier, return_tracking_no: parcel.trackingNo, return_sent_at: now })
    .where('refund_no', '=', refundNo)
    .where('member_id', '=', member.memberId)
    .where('merchant_id', '=', member.merchantId)
    .where('kind', '=', 'return_and_refund')
    .where('status', '!=', 'rejected')
    .where('return_sent_at', 'is', null)
    .returning(['return_carrier', 'return_tracking_no', 'return_sent_at'])
    .executeTakeFirst();
  if (sent) return { carrier: sent.return_carrier, trackingNo: sent.return_tracking_no, sentAt: sent.return_sent_at };
  const request = await ctx.db
    .selectFrom('refund_requests')
    .select(['kind', 'status', 'return_sent_at'])
    .where('refund_no', '=', refundNo)
    .where('member_id', '=', member.memberId)
    .where('merchant_id', '=', member.merchantId)
    .executeTakeFirst();
  if (!request) throw new AppError('not_found', 'refund request not found', { refundNo });
  const reason =
    request.kind !== 'return_and_refund' ? 'no_return' : request.status === 'rejected' ? 'rejected' : 'already_sent';
  throw new AppError('invalid_state', `the return parcel cannot be recorded: ${reason}`, { refundNo, reason });
}

/** The return parcel of the member's refund request, or null when they have not sent one. */
export async function returnParcelOf(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  refundNo: string,
): Promise<ReturnParcel | null> {
  const row = await ctx.db
    .selectFrom('refund_requests')
    .select(['return_carrier', 'return_tracking_no', 'return_sent_at'])
    .where('refund_no', '=', refundNo)
    .where('member_id', '=', member.memberId)
    .where('merchant_id', '=', member.merchantId)
    .executeTakeFirst();
  return row?.return_sent_at
    ? { carrier: row.return_carrier, trackingNo: row.return_tracking_no, sentAt: row.return_sent_at }
    : null;
}
