import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { findRechargeRule } from '../members/recharge-rules.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { nextOrderNo } from '../orders/next-order-no.ts';
import { unpaidOrderDeadline } from '../merchants/order-timeout.ts';

export const MIN_RECHARGE = 100;
export const MAX_RECHARGE = 5_000_000;

/**
 * A balance top-up is an order of type `recharge` with one line and no stock: it is paid at the cashier like any
 * order (WeChat or Alipay, never the balance itself) and its settlement credits the balance exactly once. By one
 * of the merchant's recharge rules (`ruleId`) the rule's amount is paid and its bonus, as the rule says now, is kept
 * on the order and credited with the payment (members/credit-recharge.ts), as at the till.
 */
export async function startRecharge(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  input: { amount?: number; ruleId?: number; client?: string },
): Promise<{ orderNo: string; amount: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    let amount = input.amount;
    let bonus = { ruleId: null as number | null, balance: 0, points: 0 };
    if (input.ruleId !== undefined) {
      const rule = await findRechargeRule(trx, member.merchantId, input.ruleId);
      if (!rule || !rule.enabled) throw new AppError('not_found', 'recharge rule not found', { ruleId: input.ruleId });
      amount = rule.rechargeAmount;
      bonus = {
        ruleId: rule.id,
        balance: rule.bonusKind === 'balance' ? rule.bonusAmount : 0,
        points: rule.bonusKind === 'points' ? rule.bonusAmount : 0,
      };
    }
    if (amount === undefined || !Number.isSafeInteger(amount) || amount < MIN_RECHARGE || amount > MAX_RECHARGE)
      throw new AppError('validation_failed', `a recharge is between ${MIN_RECHARGE} and ${MAX_RECHARGE} fen`, {
        amount,
      });
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
        goods_amount: amount,
        discount_amount: 0,
        shipping_fee: 0,
        payable_amount: amount,
        coupon_id: null,
        recharge_rule_id: bonus.ruleId,
        recharge_bonus: bonus.balance,
        recharge_bonus_points: bonus.points,
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
        list_price: amount,
        unit_price: amount,
        quantity: 1,
        goods_amount: amount,
        discount_amount: 0,
        line_total: amount,
      })
      .execute();
    await recordOrderEvent(trx, order.id, 'place', {
      actor: { kind: 'member', id: member.memberId },
      now,
      to: 'pending_payment',
      data: { recharge: amount, ...(bonus.ruleId === null ? {} : { ruleId: bonus.ruleId }) },
    });
    return { orderNo, amount };
  });
}
