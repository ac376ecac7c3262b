import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import { settlePayment } from './settle-payment.ts';

/**
 * Asks the gateway how a waiting payment stands and applies the answer: the active-query path, used by the
 * cashier's poll and the reconciliation job. Money found goes through the same settlement as notifications.
 */
export async function syncPayment(ctx: AppContext, payment: PaymentRow, via: 'query' = 'query'): Promise<string> {
  if (payment.status !== 'processing' || (payment.provider !== 'wechatpay' && payment.provider !== 'alipay'))
    return payment.status;
  const { provider } = await ctx.payments.providerFor(ctx.db, payment.account_id!);
  const trade = await provider.query(payment.out_trade_no);
  const now = ctx.clock.now();
  switch (trade.state) {
    case 'paid':
    case 'refunded': {
      const settled = await settlePayment(ctx, {
        paymentId: payment.id,
        providerTradeId: trade.providerTradeId,
        paidAt: trade.paidAt ?? now,
        via,
        gatewayAmount: trade.paidAmount,
        raw: trade.raw,
        actor: { kind: 'system', id: null },
      });
      return settled.outcome === 'flagged' ? payment.status : 'paid';
    }
    case 'closed':
      return (
        (await applyPaymentTransition(ctx.db, payment, 'close', now, { closed_at: now, next_check_at: null }))
          ?.status ?? payment.status
      );
    case 'failed':
      return (
        (await applyPaymentTransition(ctx.db, payment, 'fail', now, { next_check_at: null }))?.status ?? payment.status
      );
    default:
      return payment.status;
  }
}
