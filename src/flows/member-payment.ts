import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';
import { memberOrderNo } from '../orders/member-order-refs.ts';
import { paymentByOutTradeNo } from '../payments/payment-by-out-trade-no.ts';

/** The payment behind an out_trade_no, only when it pays one of the member's own orders (else null: ids reveal nothing). */
export async function memberPayment(ctx: AppContext, memberId: number, outTradeNo: string): Promise<PaymentRow | null> {
  const payment = await paymentByOutTradeNo(ctx, outTradeNo);
  return payment && (await memberOrderNo(ctx, memberId, payment.order_id)) !== null ? payment : null;
}
