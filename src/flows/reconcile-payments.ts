import type { AppContext } from '../context.ts';
import { claimDuePaymentChecks, claimDueRefundChecks } from '../payments/due-checks.ts';
import { executePaymentRefund, applyRefundState } from './refund-payment.ts';
import { syncPayment } from './sync-payment.ts';

/**
 * One reconciliation pass: claims the payments and refunds whose check is due (payments/due-checks.ts), then asks
 * the gateway about each outside any transaction. Returns how many payments and refunds were checked.
 */
export async function reconcilePayments(ctx: AppContext, batchSize = 50): Promise<number> {
  const now = ctx.clock.now();
  const claimed = {
    payments: await claimDuePaymentChecks(ctx.db, now, batchSize),
    refunds: await claimDueRefundChecks(ctx.db, now, batchSize),
  };

  for (const id of claimed.payments) {
    const payment = await ctx.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await syncPayment(ctx, payment).catch((err) =>
      ctx.log.warn({ err, outTradeNo: payment.out_trade_no }, 'payment query failed; will retry'),
    );
  }
  for (const id of claimed.refunds) {
    await checkRefund(ctx, id).catch((err) => ctx.log.warn({ err, refundId: id }, 'refund check failed; will retry'));
  }
  return claimed.payments.length + claimed.refunds.length;
}

/** A refund the gateway accepted is queried; one it never accepted (the call failed) is sent again, idempotently. */
async function checkRefund(ctx: AppContext, refundId: number): Promise<void> {
  const refund = await ctx.db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('id', '=', refundId)
    .executeTakeFirstOrThrow();
  const payment = await ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', refund.payment_id)
    .executeTakeFirstOrThrow();
  if (refund.provider_refund_id === null || (payment.provider !== 'wechatpay' && payment.provider !== 'alipay')) {
    await executePaymentRefund(ctx, refundId);
    return;
  }
  const { provider } = await ctx.payments.providerFor(ctx.db, payment.account_id!);
  const answer = await provider.queryRefund(refund.out_refund_no, payment.out_trade_no);
  await applyRefundState(ctx, refundId, answer.state, answer.providerRefundId);
}
