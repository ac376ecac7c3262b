import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import type { StaffPrincipal } from '../auth/tokens.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { liveAttempt } from './resolve-live-attempt.ts';

/**
 * Staff change what an unpaid order costs (a phone deal, a damaged box): the difference is kept as the order's
 * price adjustment and the change is recorded with who made it and why. Not while a payment is under way, since
 * the gateway already holds the old amount.
 */
export async function adjustPrice(
  ctx: AppContext,
  staff: StaffPrincipal,
  orderNo: string,
  payableAmount: number,
  reason: string,
): Promise<void> {
  const now = ctx.clock.now();
  const order = await ctx.db
    .selectFrom('orders')
    .select(['id'])
    .where('order_no', '=', orderNo)
    .where('merchant_id', '=', staff.merchantId)
    .executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  if (await liveAttempt(ctx, order.id))
    throw new AppError(
      'invalid_state',
      'a payment of this order is under way; the buyer must choose again after the change',
    );
  const repriced = await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', order.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'pending_payment')
      throw new AppError('invalid_state', `an order that is ${locked.status} cannot be repriced`, {
        status: locked.status,
      });
    const base = locked.goods_amount - locked.discount_amount + locked.shipping_fee;
    await trx
      .updateTable('orders')
      .set({ payable_amount: payableAmount, price_adjustment: payableAmount - base, updated_at: now })
      .where('id', '=', locked.id)
      .where('status', '=', 'pending_payment')
      .execute();
    await recordOrderEvent(trx, locked.id, 'adjust_price', {
      actor: { kind: 'staff', id: staff.staffId },
      now,
      note: reason,
      data: { from: locked.payable_amount, to: payableAmount },
    });
    return locked;
  });
  // a buyer looking at the cashier sees the new amount before paying it
  ctx.orderUpdates.publish(orderUpdateOf(repriced));
}

export async function setMerchantRemark(
  ctx: AppContext,
  staff: StaffPrincipal,
  orderNo: string,
  remark: string,
): Promise<void> {
  const now = ctx.clock.now();
  const order = await ctx.db
    .updateTable('orders')
    .set({ merchant_remark: remark, updated_at: now })
    .where('order_no', '=', orderNo)
    .where('merchant_id', '=', staff.merchantId)
    .returning('id')
    .executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  await recordOrderEvent(ctx.db, order.id, 'remark', {
    actor: { kind: 'staff', id: staff.staffId },
    now,
    note: remark,
  });
}
