import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';

/** The payment attempt with this out_trade_no, or null; callers check whose order it pays. */
export async function paymentByOutTradeNo(ctx: AppContext, outTradeNo: string): Promise<PaymentRow | null> {
  return (
    (await ctx.db.selectFrom('payments').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst()) ?? null
  );
}
