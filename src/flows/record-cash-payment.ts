import type { StaffPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { insertAttempt } from '../payments/payment-attempts.ts';
import { enabledMethod } from '../payments/payment-methods.ts';
import { toPaymentView, type PaymentView } from '../payments/payment-view.ts';
import { liveAttempt } from './resolve-live-attempt.ts';
import { afterSettlement, settleInTransaction } from './settle-payment.ts';

/** A till operator took the whole amount in cash: recorded against the operator and settled at once. */
export async function recordCashPayment(
  ctx: AppContext,
  staff: StaffPrincipal,
  orderNo: string,
  receivedAmount: number,
): Promise<PaymentView> {
  const order = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('merchant_id', '=', staff.merchantId)
    .executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  if (order.status !== 'pending_payment')
    throw new AppError('invalid_state', `an order that is ${order.status} cannot be paid`, { status: order.status });
  await enabledMethod(ctx.db, order.store_id, 'POS', 'cash');
  if (receivedAmount !== order.payable_amount)
    throw new AppError('validation_failed', 'cash must match the amount due', { payableAmount: order.payable_amount });
  if (await liveAttempt(ctx, order.id))
    throw new AppError('conflict', 'another payment for this order is open; close it first');
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const attempt = await insertAttempt(trx, order, {
      method: 'cash',
      provider: 'cash',
      client: 'POS',
      operatorId: staff.staffId,
      now,
    });
    const result = await settleInTransaction(
      trx,
      { paymentId: attempt.id, paidAt: now, via: 'cash', actor: { kind: 'staff', id: staff.staffId } },
      now,
      attempt,
    );
    if (result.outcome !== 'settled') throw new AppError('invalid_state', 'the order can no longer be paid');
    return result;
  });
  await afterSettlement(ctx, result);
  return toPaymentView(result.payment);
}
