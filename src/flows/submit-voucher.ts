import { createHash } from 'node:crypto';
import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { actorOf, applyOrderTransition, orderMoveRefused } from '../orders/apply-order-transition.ts';
import { scopeOrders } from '../orders/order-scope.ts';
import { insertAttempt } from '../payments/payment-attempts.ts';
import { enabledMethod } from '../payments/payment-methods.ts';
import { toPaymentView, type PaymentView } from '../payments/payment-view.ts';
import { liveAttempt, resolveLiveAttempt } from './resolve-live-attempt.ts';
import { sniffImageType } from '../domain/image-type.ts';

export const VOUCHER_METHODS = ['voucher_alipay', 'voucher_wechat', 'voucher_bank'] as const;
export type VoucherMethod = (typeof VOUCHER_METHODS)[number];
export const MAX_VOUCHER_IMAGES = 9;
export const MAX_VOUCHER_BYTES = 5 * 1024 * 1024;

export interface VoucherImage {
  contentType: string;
  data: Buffer;
}

/**
 * The buyer pays offline (an Alipay / WeChat transfer or a bank transfer) and uploads 1–9 images of the proof.
 * The images are kept in the database with the attempt, and the order waits in payment_review for staff.
 */
export async function submitVoucher(
  ctx: AppContext,
  principal: Principal,
  input: { orderNo: string; method: VoucherMethod; client: string; images: VoucherImage[]; note?: string },
): Promise<PaymentView> {
  if (input.images.length < 1 || input.images.length > MAX_VOUCHER_IMAGES)
    throw new AppError('validation_failed', `send 1 to ${MAX_VOUCHER_IMAGES} images`);
  const images = input.images.map((image, i) => {
    if (image.data.length === 0 || image.data.length > MAX_VOUCHER_BYTES)
      throw new AppError(
        'validation_failed',
        `image ${i + 1} must be 1 byte to ${MAX_VOUCHER_BYTES / 1024 / 1024} MiB`,
      );
    const type = sniffImageType(image.data);
    if (!type) throw new AppError('validation_failed', `image ${i + 1} is not a PNG, JPEG or WebP picture`);
    return { type, data: image.data, sha256: createHash('sha256').update(image.data).digest('hex') };
  });
  const order = await scopeOrders(ctx.db.selectFrom('orders').selectAll(), principal)
    .where('order_no', '=', input.orderNo)
    .executeTakeFirst();
  if (!order) throw notFound('order', { orderNo: input.orderNo });
  await enabledMethod(ctx.db, order.store_id, input.client, input.method);
  const live = await liveAttempt(ctx, order.id);
  if (live && (await resolveLiveAttempt(ctx, live)) !== 'closed')
    throw new AppError('conflict', 'an earlier payment attempt is still open; try again shortly');

  const now = ctx.clock.now();
  const actor = actorOf(principal);
  const { payment, moved } = await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('id', '=', order.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const moved = await applyOrderTransition(trx, locked, 'submit_voucher', {
      actor,
      now,
      note: input.note,
      data: { method: input.method, images: images.length },
    });
    if (!moved) throw orderMoveRefused(locked, 'submit_voucher');
    const payment = await insertAttempt(trx, order, {
      method: input.method,
      provider: 'voucher',
      client: input.client,
      note: input.note,
      now,
    });
    await trx
      .insertInto('voucher_images')
      .values(
        images.map((img) => ({
          payment_id: payment.id,
          content_type: img.type,
          byte_size: img.data.length,
          sha256: img.sha256,
          data: img.data,
          created_at: now,
        })),
      )
      .execute();
    return { payment, moved };
  });
  // the order's payment status stays unpaid while staff review the voucher: the order status tells that wait
  ctx.orderUpdates.publish(orderUpdateOf(moved));
  return toPaymentView(payment);
}
