import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { getOrder } from '../orders/get-order.ts';
import { refundTradeOrder } from './refund-trade-order.ts';

/**
 * The till gives back an amount, or, when it names none, everything paid that has not been refunded yet. The
 * answer says which amount was refunded.
 */
export async function refundTradeOrderAmountOrRest(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  input: { amount?: number; operatorId: number; refundPassword: string; reason?: string },
): Promise<{ refundNo: string; status: string; amount: number }> {
  let amount = input.amount;
  if (amount === undefined) {
    const order = await getOrder(ctx, { kind: 'app', ...app }, orderNo);
    amount = order.paidAmount - order.refundedAmount;
    if (amount <= 0) throw new AppError('invalid_state', 'nothing left to refund');
  }
  return { ...(await refundTradeOrder(ctx, app, orderNo, { ...input, amount })), amount };
}
