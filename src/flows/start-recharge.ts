import type { AppContext } from '../context.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { nextOrderNo } from '../orders/next-order-no.ts';
import { unpaidOrderDeadline } from '../merchants/order-timeout.ts';

export const MIN_RECHARGE = 100;
export const MAX_RECHARGE = 5_000_000;

/**
 * A balance top-up is an order of type `recharge` with one line and no stock: it is paid at the cashier like any
 * order (WeChat or Alipay, never the balance itself) and its settlement credits the balance exactly once.
 */
export async function startRecharge(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  input: { amount: number; client?: string },
): Promise<{ orderNo: string }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const store = await trx
      .selectFrom('stores')
      .select('id')
      .where('merchant_id', '=', member.merchantId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const orderNo = await nextOrderNo(trx, now, ctx.config.timeZone);
    const order = await trx
      .insertInto('orders')
      .values({
        order_no: orderNo,
        merchant_id: member.merchantId,
        store_id: store.id,
        member_id: member.memberId,
        order_type: 'recharge',
        client: input.client,
        operator_id: null,
        status: 'pending_payment',
        goods_amount: input.amount,
        discount_amount: 0,
        shipping_fee: 0,
        payable_amount: input.amount,
        coupon_id: null,
        created_at: now,
        expires_at: unpaidOrderDeadline(now, member.merchantId),
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('order_lines')
      .values({
        order_id: order.id,
        line_no: 1,
        product_id: null,
        options: '[]',
        title: '余额充值 Balance top-up',
        list_price: input.amount,
        unit_price: input.amount,
        quantity: 1,
        goods_amount: input.amount,
        discount_amount: 0,
        line_total: input.amount,
      })
      .execute();
    await recordOrderEvent(trx, order.id, 'place', {
      actor: { kind: 'member', id: member.memberId },
      now,
      to: 'pending_payment',
      data: { recharge: input.amount },
    });
    return { orderNo };
  });
}
