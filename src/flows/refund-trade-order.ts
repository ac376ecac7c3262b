import { verifyPassword } from '../auth/passwords.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { executePaymentRefund } from './refund-payment.ts';
import { allocateRefund } from '../refunds/refund-amounts.ts';
import { insertRefundRequest } from './request-refund.ts';
import { startRequestRefund } from './review-refund.ts';
import { lockOrderInScope } from '../orders/order-in-scope.ts';

/**
 * The till gives money back, partly or fully, authorised by an operator's refund password. The amount is shared
 * over the lines (never more than each can give back) and sent the way the money came.
 */
export async function refundTradeOrder(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  input: { amount: number; operatorId: number; refundPassword: string; reason?: string },
): Promise<{ refundNo: string; status: string }> {
  const operator = await ctx.db
    .selectFrom('staff')
    .select(['id', 'refund_password_hash', 'disabled'])
    .where('id', '=', input.operatorId)
    .where('merchant_id', '=', app.merchantId)
    .executeTakeFirst();
  const allowed = await verifyPassword(input.refundPassword, operator?.refund_password_hash ?? undefined);
  if (!operator || operator.disabled || !allowed)
    throw new AppError('refund_password', 'wrong operator or refund password');
  const now = ctx.clock.now();
  const { refundId, refundNo } = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, { kind: 'merchant', merchantId: app.merchantId }, orderNo, 'trade order');
    if (order.status !== 'paid' && order.status !== 'completed')
      throw new AppError('invalid_state', `a trade order that is ${order.status} cannot be refunded`, {
        status: order.status,
      });
    // the money of a top-up is the member's balance now, and may be spent already (with any bonus it brought)
    if (order.order_type === 'recharge')
      throw new AppError('invalid_state', 'a balance top-up cannot be refunded at the till');
    if (order.deposit_mode && order.deposit_status === 'held')
      throw new AppError('invalid_state', 'a held deposit is consumed or released, not refunded');
    const lines = await trx
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('line_no')
      .execute();
    const shares = allocateRefund(lines, input.amount);
    const request = await insertRefundRequest(trx, {
      order,
      memberId: order.member_id,
      kind: 'refund_only',
      reason: input.reason ?? 'till refund',
      imageUrls: [],
      lines: shares,
      shippingAmount: 0,
      now,
      status: 'refunding',
    });
    await recordOrderEvent(trx, order.id, 'refund_approve', {
      actor: { kind: 'staff', id: operator.id },
      now,
      note: input.reason ?? '',
      data: { refundNo: request.refundNo, amount: input.amount, appId: app.appId },
    });
    const refundId = await startRequestRefund(
      trx,
      {
        ...request,
        order_id: order.id,
        merchant_id: order.merchant_id,
        refund_no: request.refundNo,
        shipping_amount: 0,
        reason: input.reason ?? 'till refund',
      },
      now,
    );
    return { refundId, refundNo: request.refundNo };
  });
  const status = await executePaymentRefund(ctx, refundId).catch((err) => {
    ctx.log.error({ err, refundNo }, 'till refund call failed; reconciliation will retry');
    return 'processing' as const;
  });
  return { refundNo, status };
}
