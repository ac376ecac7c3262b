import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { findRechargeRule } from '../members/recharge-rules.ts';
import { createTradeOrder } from './create-trade-order.ts';
import { MAX_RECHARGE, MIN_RECHARGE } from './start-recharge.ts';

export interface TillRechargeInput {
  memberId: number;
  /** a recharge rule: its amount is paid and its bonus promised; without one, `amount` is paid with no bonus */
  ruleId?: number;
  amount?: number;
  merchantOrderNo: string;
  storeId: number;
  operatorId: number;
  subject: string;
  clientIp?: string;
}

/**
 * A member tops up at the till, by one of the merchant's recharge rules or by a free amount: a recharge trade order
 * that keeps the rule's bonus as it is now, credited with the payment (members/credit-recharge.ts).
 */
export async function placeTillRecharge(
  ctx: AppContext,
  app: AppPrincipalInfo,
  input: TillRechargeInput,
): Promise<{ orderNo: string; amount: number }> {
  let amount = input.amount;
  let bonus: { ruleId: number; balance: number; points: number } | undefined;
  if (input.ruleId !== undefined) {
    const rule = await findRechargeRule(ctx.db, app.merchantId, input.ruleId);
    if (!rule) throw new AppError('not_found', 'recharge rule not found', { ruleId: input.ruleId });
    if (!rule.enabled) throw new AppError('unprocessable', 'the recharge rule is switched off', { ruleId: rule.id });
    amount = rule.rechargeAmount;
    bonus = {
      ruleId: rule.id,
      balance: rule.bonusKind === 'balance' ? rule.bonusAmount : 0,
      points: rule.bonusKind === 'points' ? rule.bonusAmount : 0,
    };
  }
  if (amount === undefined) throw new AppError('validation_failed', 'a recharge needs a rule or an amount');
  if (amount < MIN_RECHARGE || amount > MAX_RECHARGE)
    throw new AppError('validation_failed', `a recharge is between ${MIN_RECHARGE} and ${MAX_RECHARGE} fen`, {
      amount,
    });
  const { orderNo } = await createTradeOrder(ctx, app, {
    merchantOrderNo: input.merchantOrderNo,
    tradeType: 'recharge',
    storeId: input.storeId,
    operatorId: input.operatorId,
    memberId: input.memberId,
    subject: input.subject,
    clientIp: input.clientIp,
    lines: [{ productId: null, title: input.subject, listPrice: amount, price: amount, quantity: 1 }],
    rechargeBonus: bonus,
  });
  return { orderNo, amount };
}
