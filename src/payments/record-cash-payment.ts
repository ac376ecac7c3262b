import type { StaffPrincipal } from '../http/authenticate.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { enabledMethod } from './payment-methods.ts';
import { toPaymentView, type PaymentView } from './payment-view.ts';
import { liveAttempt } from './resolve-live-attempt.ts';
import { afterSettlement, settleInTransaction } from './settle-payment.ts';

/** A till operator took the whole amount in cash: recorded against the operator and settled at once. */
export async function recordCashPayment(ctx: AppContext, staff: StaffPrincipal, orderNo: string, receivedAmount: number): Promise<PaymentView> {
  const order = await ctx.db.selectFrom('orders').selectAll().where('order_no', '=', orderNo).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  if (order.status !== 'pending_payment') throw new AppError('invalid_state', `an order that is ${order.status} cannot be paid`, { status: order.status });
  await enabledMethod(ctx.db, order.store_id, 'POS', 'cash');
  if (receivedAmount !== order.payable_amount) throw new AppError('validation_failed', 'cash must match the amount due', { payableAmount: order.payable_amount });
  if (await liveAttempt(ctx, order.id)) throw new AppError('conflict', 'another payment for this order is open; close it first');
  const now = ctx.clock.now();
  const { payment, result } = await ctx.db.transaction().execute(async (trx) => {
    const { n } = await trx.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', order.id).executeTakeFirstOrThrow();
    const attempt = await trx
      .insertInto('payments')
      .values({
        merchant_id: order.merchant_id,
        order_id: order.id,
        member_id: order.member_id,
        method: 'cash',
        provider: 'cash',
        account_id: null,
        out_trade_no: `${order.order_no}${String(Number(n) + 1).padStart(2, '0')}`,
        provider_trade_id: null,
        amount: order.payable_amount,
        status: 'processing',
        client: 'POS',
        operator_id: staff.staffId,
        reviewed_by: null,
        reviewed_at: null,
        raw: '{}',
        created_at: now,
        updated_at: now,
        paid_at: null,
        closed_at: null,
        next_check_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const result = await settleInTransaction(trx, { paymentId: attempt.id, paidAt: now, via: 'cash', actor: { kind: 'staff', id: staff.staffId } }, now);
    if (result.outcome !== 'settled') throw new AppError('invalid_state', 'the order can no longer be paid');
    return { payment: await trx.selectFrom('payments').selectAll().where('id', '=', attempt.id).executeTakeFirstOrThrow(), result };
  });
  await afterSettlement(ctx, result);
  return toPaymentView(payment);
}
