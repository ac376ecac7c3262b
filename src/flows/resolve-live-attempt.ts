import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import type { TradeQueryResult } from '../providers/provider.ts';
import { settlePayment } from './settle-payment.ts';

export type LiveAttemptOutcome = 'closed' | 'paid' | 'still_open';

/**
 * Ends a payment attempt that is still waiting for money, before the order is re-paid another way or expires:
 * ask the gateway first, settle if the buyer did pay, otherwise close the trade there and then here. When the
 * gateway cannot close it now the attempt stays open and the caller tries again later.
 */
export async function resolveLiveAttempt(ctx: AppContext, payment: PaymentRow): Promise<LiveAttemptOutcome> {
  const now = () => ctx.clock.now();
  // a paid trade reporting another amount is flagged by the settlement: the attempt stays open for a person to look at
  const settle = async (trade: TradeQueryResult) => {
    const settled = await settlePayment(ctx, {
      paymentId: payment.id,
      providerTradeId: trade.providerTradeId,
      paidAt: trade.paidAt ?? now(),
      via: 'close_failed',
      gatewayAmount: trade.paidAmount,
      raw: trade.raw,
      actor: { kind: 'system', id: null },
    });
    return settled.outcome === 'flagged' ? ('still_open' as const) : ('paid' as const);
  };
  if (payment.provider === 'wechatpay' || payment.provider === 'alipay') {
    const { provider } = await ctx.payments.providerFor(ctx.db, payment.account_id!);
    const trade = await provider.query(payment.out_trade_no);
    if (trade.state === 'paid' || trade.state === 'refunded') return settle(trade);
    const closed = await provider.close(payment.out_trade_no);
    if (!closed.closed && closed.reason === 'already_paid') {
      return settle(await provider.query(payment.out_trade_no));
    }
    // `not_found` is an Alipay precreate nobody scanned: there is nothing to close at the gateway.
    if (!closed.closed && closed.reason === 'error') {
      ctx.log.warn(
        { outTradeNo: payment.out_trade_no, message: closed.message },
        'could not close the trade at the gateway',
      );
      return 'still_open';
    }
  }
  await applyPaymentTransition(ctx.db, payment, 'close', now(), { closed_at: now(), next_check_at: null });
  return 'closed';
}

export async function liveAttempt(ctx: AppContext, orderId: number): Promise<PaymentRow | undefined> {
  return ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'processing')
    .executeTakeFirst();
}
