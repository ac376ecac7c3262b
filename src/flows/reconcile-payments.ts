import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { executePaymentRefund, applyRefundState } from './refund-payment.ts';
import { syncPayment } from './sync-payment.ts';

/** Notifications get lost: waiting payments and refunds are asked after about 5 s, 15 s, 30 s, 1 min, 5 min, 10 min, then every 30 min. */
export const BACKOFF_SECONDS = [5, 15, 30, 60, 300, 600, 1800] as const;
const nextCheck = (now: Date, attempts: number) =>
  new Date(now.getTime() + BACKOFF_SECONDS[Math.min(attempts, BACKOFF_SECONDS.length - 1)]! * 1000);

/**
 * One reconciliation pass. Rows are claimed by moving their next check forward under `SKIP LOCKED`, so several
 * ordo processes share the work without asking the gateway twice; the gateway calls happen outside any
 * transaction. Returns how many payments and refunds were checked.
 */
export async function reconcilePayments(ctx: AppContext, batchSize = 50): Promise<number> {
  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('payments')
      .select(['id', 'check_attempts'])
      .where('status', '=', 'processing')
      .where('provider', 'in', ['wechatpay', 'alipay'])
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const p of due)
      await trx
        .updateTable('payments')
        .set({ next_check_at: nextCheck(now, p.check_attempts + 1), check_attempts: sql`check_attempts + 1` })
        .where('id', '=', p.id)
        .execute();
    const refunds = await trx
      .selectFrom('payment_refunds')
      .select(['id', 'check_attempts'])
      .where('status', '=', 'processing')
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of refunds)
      await trx
        .updateTable('payment_refunds')
        .set({ next_check_at: nextCheck(now, r.check_attempts + 1), check_attempts: sql`check_attempts + 1` })
        .where('id', '=', r.id)
        .execute();
    return { payments: due.map((p) => p.id), refunds: refunds.map((r) => r.id) };
  });

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
