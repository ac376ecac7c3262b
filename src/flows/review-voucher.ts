import type { StaffPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { applyOrderTransition, orderMoveRefused } from '../orders/apply-order-transition.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import { afterSettlement, settleInTransaction } from './settle-payment.ts';

async function reviewedPayment(ctx: AppContext, staff: StaffPrincipal, outTradeNo: string) {
  const payment = await ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('out_trade_no', '=', outTradeNo)
    .where('merchant_id', '=', staff.merchantId)
    .where('provider', '=', 'voucher')
    .executeTakeFirst();
  if (!payment) throw notFound('voucher payment', { outTradeNo });
  if (payment.status !== 'processing')
    throw new AppError(
      'invalid_state',
      `this voucher was already ${payment.status === 'failed' ? 'rejected' : 'approved'}`,
      { status: payment.status },
    );
  return payment;
}

/** Staff saw the money arrive: the voucher payment settles like any other payment. */
export async function approveVoucher(
  ctx: AppContext,
  staff: StaffPrincipal,
  outTradeNo: string,
  note = '',
): Promise<void> {
  const payment = await reviewedPayment(ctx, staff, outTradeNo);
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('payments')
      .set({ reviewed_by: staff.staffId, reviewed_at: now, review_note: note })
      .where('id', '=', payment.id)
      .execute();
    return settleInTransaction(
      trx,
      { paymentId: payment.id, paidAt: now, via: 'review', actor: { kind: 'staff', id: staff.staffId } },
      now,
    );
  });
  if (result.outcome === 'already_settled') throw new AppError('invalid_state', 'this voucher was already approved');
  await afterSettlement(ctx, result);
}

/** Staff did not find the money: the order goes back to waiting for payment; the images stay with the attempt. */
export async function rejectVoucher(
  ctx: AppContext,
  staff: StaffPrincipal,
  outTradeNo: string,
  reason: string,
): Promise<void> {
  const payment = await reviewedPayment(ctx, staff, outTradeNo);
  const now = ctx.clock.now();
  const moved = await ctx.db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('id', '=', payment.order_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const failed = await applyPaymentTransition(trx, payment, 'fail', now, {
      reviewed_by: staff.staffId,
      reviewed_at: now,
      review_note: reason,
    });
    if (!failed) throw new AppError('conflict', 'the voucher changed meanwhile; read it again');
    const moved = await applyOrderTransition(trx, order, 'reject_voucher', {
      actor: { kind: 'staff', id: staff.staffId },
      now,
      note: reason,
      data: { outTradeNo },
    });
    if (!moved) throw orderMoveRefused(order, 'reject_voucher');
    return moved;
  });
  ctx.orderUpdates.publish(orderUpdateOf(moved));
}
