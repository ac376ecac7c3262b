import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { emitEvent } from '../events/outbox.ts';
import { executePaymentRefund } from './refund-payment.ts';
import { allocateRefund } from '../refunds/refund-amounts.ts';
import { insertRefundRequest } from './request-refund.ts';
import { startRequestRefund } from './review-refund.ts';
import { lockOrderInScope } from '../orders/order-in-scope.ts';

/**
 * Ends a held deposit: `consumed` of it is kept (0 returns it all), the rest goes back the way it was paid. The
 * guarded update on `deposit_status = 'held'` lets exactly one ending win, so two tills consuming at once can
 * never take more than was held.
 */
export async function endDeposit(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  consumed: number,
): Promise<{ status: 'settled' | 'released'; returned: number }> {
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, { kind: 'merchant', merchantId: app.merchantId }, orderNo, 'trade order');
    if (!order.deposit_mode || order.deposit_status !== 'held')
      throw new AppError('invalid_state', 'there is no held deposit on this trade order', {
        depositStatus: order.deposit_status,
      });
    const held = order.paid_amount - order.refunded_amount;
    if (consumed > held) throw new AppError('exceeds_deposit', 'that is more than the deposit holds', { held });
    const status = consumed === 0 ? ('released' as const) : ('settled' as const);
    const ended = await trx
      .updateTable('orders')
      .set({ deposit_status: status, deposit_consumed: consumed, updated_at: now })
      .where('id', '=', order.id)
      .where('deposit_status', '=', 'held')
      .executeTakeFirst();
    if (ended.numUpdatedRows === 0n) throw new AppError('conflict', 'the deposit was ended meanwhile');
    await recordOrderEvent(trx, order.id, status === 'released' ? 'deposit_release' : 'deposit_consume', {
      actor: { kind: 'app', id: app.appRowId },
      now,
      data: { consumed, returned: held - consumed },
    });
    await emitEvent(trx, {
      merchantId: order.merchant_id,
      topic: `trade.deposit_${status}`,
      aggregateId: order.order_no,
      now,
      payload: {
        orderNo: order.order_no,
        merchantOrderNo: order.merchant_order_no,
        consumed,
        returned: held - consumed,
      },
    });
    const returned = held - consumed;
    if (returned === 0) return { status, returned, refundId: null };
    const lines = await trx
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('line_no')
      .execute();
    const request = await insertRefundRequest(trx, {
      order,
      memberId: order.member_id,
      kind: 'refund_only',
      reason: 'deposit returned',
      imageUrls: [],
      lines: allocateRefund(lines, returned),
      shippingAmount: 0,
      now,
      status: 'refunding',
    });
    const refundId = await startRequestRefund(
      trx,
      {
        ...request,
        order_id: order.id,
        merchant_id: order.merchant_id,
        refund_no: request.refundNo,
        shipping_amount: 0,
        reason: 'deposit returned',
      },
      now,
    );
    return { status, returned, refundId };
  });
  if (outcome.refundId !== null)
    await executePaymentRefund(ctx, outcome.refundId).catch((err) =>
      ctx.log.error({ err, orderNo }, 'deposit return failed; reconciliation will retry'),
    );
  return { status: outcome.status, returned: outcome.returned };
}
