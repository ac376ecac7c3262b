import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { orderNoOfId } from '../orders/order-no-of-id.ts';
import { paymentByOutTradeNo } from '../payments/payment-by-out-trade-no.ts';

/**
 * The payment behind an out_trade_no, only when the order it pays is in the caller's scope (a member's own, staff's
 * merchant's); else null, so an out_trade_no reveals nothing.
 */
export async function paymentInScope(
  ctx: AppContext,
  principal: Principal,
  outTradeNo: string,
): Promise<PaymentRow | null> {
  const payment = await paymentByOutTradeNo(ctx, outTradeNo);
  if (!payment) return null;
  const inScope = await orderNoOfId(ctx, principal, payment.order_id).then(
    () => true,
    (err: unknown) => {
      if (err instanceof AppError && err.code === 'not_found') return false;
      throw err;
    },
  );
  return inScope ? payment : null;
}
