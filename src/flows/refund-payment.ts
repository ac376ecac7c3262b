import type { AppContext } from '../context.ts';
import { postLedgerEntry } from '../members/ledger.ts';
import type { RefundState } from '../providers/provider.ts';
import { PAYMENT_REFUND_OUTCOME } from '../domain/payment-refund-status.ts';
import { applyPaymentRefundTransition } from '../payments/apply-payment-refund-transition.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import { publishOrderChange } from '../events/publish-order-change.ts';
import { finishRefundRequest } from './finish-refund-request.ts';

/**
 * Sends a recorded refund to where the money came from (the gateway, or back to the member's balance) and
 * applies the answer. Safe to repeat: the gateway refund is idempotent on out_refund_no, and the local effects
 * happen in one guarded transaction when the refund first turns `succeeded`.
 */
export async function executePaymentRefund(ctx: AppContext, refundId: number): Promise<RefundState> {
  const refund = await ctx.db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('id', '=', refundId)
    .executeTakeFirstOrThrow();
  if (refund.status !== 'processing') return refund.status;
  const payment = await ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', refund.payment_id)
    .executeTakeFirstOrThrow();

  let state: RefundState;
  let providerRefundId: string | undefined;
  if (payment.provider === 'wechatpay' || payment.provider === 'alipay') {
    const { provider } = await ctx.payments.providerFor(ctx.db, payment.account_id!);
    const answer = await provider.refund({
      outTradeNo: payment.out_trade_no,
      outRefundNo: refund.out_refund_no,
      refundAmount: refund.amount,
      totalAmount: payment.amount,
      reason: refund.reason,
      notifyUrl: ctx.payments.notifyUrl(payment.provider, payment.account_id!),
    });
    state = answer.state;
    providerRefundId = answer.providerRefundId;
  } else {
    // balance goes back to the balance; cash and vouchers are handed back by staff, recorded as done
    state = 'succeeded';
  }
  if (state === 'processing') {
    // accepted, not finished: remember the gateway's id so reconciliation queries instead of re-sending
    await ctx.db
      .updateTable('payment_refunds')
      .set({ provider_refund_id: providerRefundId ?? refund.out_refund_no })
      .where('id', '=', refundId)
      .execute();
  }
  await applyRefundState(ctx, refundId, state, providerRefundId);
  return state;
}

/** Applies a refund outcome once (from the call above, a refund notification, or the refund reconciliation). */
export async function applyRefundState(
  ctx: AppContext,
  refundId: number,
  state: RefundState,
  providerRefundId?: string,
): Promise<void> {
  if (state === 'processing') return;
  const now = ctx.clock.now();
  const orderId = await ctx.db.transaction().execute(async (trx) => {
    const moved = await applyPaymentRefundTransition(
      trx,
      { id: refundId, status: 'processing' },
      PAYMENT_REFUND_OUTCOME[state],
      {
        provider_refund_id: providerRefundId ?? null,
        completed_at: now,
        next_check_at: null,
      },
    );
    if (!moved) return null;
    if (moved.refund_request_id !== null)
      await finishRefundRequest(trx, moved.refund_request_id, state === 'succeeded', now);
    if (state !== 'succeeded') return moved.order_id;
    const payment = await trx
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', moved.payment_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const refundedAfter = payment.refunded_amount + moved.amount;
    await applyPaymentTransition(trx, payment, refundedAfter >= payment.amount ? 'refund_all' : 'refund_part', now, {
      refunded_amount: refundedAfter,
    });
    if (payment.provider === 'balance' && payment.member_id !== null) {
      await postLedgerEntry(trx, {
        merchantId: payment.merchant_id,
        memberId: payment.member_id,
        account: 'balance',
        delta: moved.amount,
        reason: 'refund',
        orderId: payment.order_id,
        note: moved.out_refund_no,
        now,
      });
    }
    return moved.order_id;
  });
  // the buyer's and the staff's pages show the money back (or the failure) without a reload
  if (orderId !== null) await publishOrderChange(ctx, orderId);
}
