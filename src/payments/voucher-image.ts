import type { AppContext } from '../context.ts';

/** One voucher picture of a payment (its bytes and type), or null when the payment has no picture by that id. */
export async function voucherImage(
  ctx: AppContext,
  paymentId: number,
  imageId: number,
): Promise<{ contentType: string; data: Uint8Array } | null> {
  const image = await ctx.db
    .selectFrom('voucher_images')
    .select(['content_type', 'data'])
    .where('id', '=', imageId)
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return image ? { contentType: image.content_type, data: image.data } : null;
}
